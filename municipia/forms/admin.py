from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipia.forms.models import FormDefinition, FormField


class FormFieldInline(admin.StackedInline):
    model = FormField
    extra = 0


@admin.register(FormDefinition)
class FormDefinitionAdmin(SimpleHistoryAdmin):
    """Forms are created by their owners (a call's form with the call); here their questions are
    read and corrected."""

    list_display = ["__str__", "purpose", "created_at"]
    list_filter = ["purpose"]
    inlines = [FormFieldInline]

    def has_add_permission(self, request):
        return False
