from django.contrib import admin

from municipia.translation.models import TextTranslation


@admin.register(TextTranslation)
class TextTranslationAdmin(admin.ModelAdmin):
    list_display = ["group", "field", "language", "origin", "backend", "updated_at"]
    list_filter = ["origin", "language", "backend"]
    search_fields = ["group", "text"]
    readonly_fields = ["content_type", "object_id", "group", "source_language", "source_digest"]
    raw_id_fields = ["translated_by"]
