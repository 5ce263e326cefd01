from django.contrib import admin

from meerwaarde.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "kind", "status", "done", "total", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "organisation__name")
    raw_id_fields = ("organisation", "created_by")
    readonly_fields = ("task_id", "task_path", "started_at", "finished_at", "attempts")
