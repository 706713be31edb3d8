from django.contrib import admin

from municipia.search.models import SearchEntry


@admin.register(SearchEntry)
class SearchEntryAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "visibility", "updated_at"]
    list_filter = ["language", "visibility"]
    search_fields = ["key", "title"]
    readonly_fields = ["key", "language", "title", "body", "visibility", "facets", "updated_at"]

    def has_add_permission(self, request):
        return False  # entries are written by the indexer only
