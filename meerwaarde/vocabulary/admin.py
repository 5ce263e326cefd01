from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meerwaarde.vocabulary.models import Concept, ConceptScheme, LocalNameMapping


@admin.register(ConceptScheme)
class ConceptSchemeAdmin(admin.ModelAdmin):
    list_display = ["label_nl", "code", "position"]
    ordering = ["position"]


@admin.register(Concept)
class ConceptAdmin(SimpleHistoryAdmin):
    list_display = ["pref_label_nl", "code", "scheme", "status", "version"]
    list_filter = ["scheme", "status"]
    search_fields = ["code", "pref_label_nl", "pref_label_en", "search_text"]
    raw_id_fields = ["broader", "replaced_by"]
    list_select_related = ["scheme"]


@admin.register(LocalNameMapping)
class LocalNameMappingAdmin(admin.ModelAdmin):
    list_display = ["local_name", "concept", "organisation", "created_by", "updated_at"]
    list_filter = ["organisation"]
    search_fields = ["local_name", "concept__code", "organisation__name"]
    raw_id_fields = ["concept", "organisation", "created_by"]
