from django.contrib import admin

from meerwaarde.reports.models import Report, ReportStory


class ReportStoryInline(admin.TabularInline):
    model = ReportStory
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "start", "end", "status", "rendered_at")
    list_filter = ("status",)
    search_fields = ("title", "organisation__name")
    raw_id_fields = ("organisation", "funder", "created_by", "job")
    filter_horizontal = ("offers",)
    readonly_fields = ("rendered_at",)
    inlines = [ReportStoryInline]
