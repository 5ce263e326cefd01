from django.contrib import admin

from meerwaarde.places.models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "population"]
    list_filter = ["province"]
    search_fields = ["name"]
    readonly_fields = ["geonameid"]
