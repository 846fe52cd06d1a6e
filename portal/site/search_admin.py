"""Admin for the site search: the synonym table (搜索即服务) the county office keeps, and a
read-only view of the index."""

from django.contrib import admin

from portal.core import search
from portal.core.search_models import SearchDocument, SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "official_terms", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["term", "official_terms"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search.clear_synonym_cache()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        search.clear_synonym_cache()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        search.clear_synonym_cache()


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "in_force", "available_from", "updated_at"]
    list_filter = ["kind", "in_force"]
    search_fields = ["title", "key"]
    list_select_related = ["unit"]
    exclude = ["search_vector"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
