"""The background task that renders a report (database queue: ``manage.py db_worker``)."""

from django_tasks import task

from meerwaarde.reports.rendering import report_render


@task()
def report_render_task(report_id: int) -> None:
    report_render(report_id=report_id)
