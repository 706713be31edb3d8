"""Impact evaluation in the admin: rubrics with their criteria, rounds and assignments are read and
corrected here; assessments are read only (they change through their page or the API)."""

from django.contrib import admin

from municipia.surveys.impact.models import (
    Assessment,
    Assignment,
    Criterion,
    Methodology,
    Round,
    Rubric,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["code", "name", "weight", "position"]


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "number", "min_assessments"]
    list_filter = ["network"]
    readonly_fields = ["number", "previous"]
    inlines = [CriterionInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "rubric", "phase", "status", "closes_on"]
    list_filter = ["phase", "status"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["round", "experience", "assessor", "created_at"]
    raw_id_fields = ["experience", "assessor", "assigned_by"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "submitted_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Assessment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin):
    list_display = ["title", "experience", "language", "created_at"]
    raw_id_fields = ["experience", "created_by"]
    readonly_fields = ["document", "document_name", "content_type"]
