"""The background task that renders a report, as its job (database queue: ``db_worker``)."""

from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from meerwaarde.jobs.services import JobFailed, job_run
from meerwaarde.reports.models import Report
from meerwaarde.reports.rendering import drop_strays, report_render


@task()
def report_render_task(job_id: int) -> None:
    """Render the report in the job's payload; a cancel stops it between two steps.

    Only the report's current job renders it: a retry of an older job (the report was edited
    or rendered again since) fails with a message instead of overwriting newer files.
    """
    with job_run(job_id) as run:
        report = Report.objects.filter(pk=run.job.payload.get("report")).first()
        if report is None or report.job_id != job_id:
            with override("nl"):
                raise JobFailed(
                    _(
                        "Deze taak hoort niet meer bij de verantwoording: die is sindsdien "
                        "gewijzigd of opnieuw gemaakt. Maak de bestanden vanaf de pagina van "
                        "de verantwoording."
                    )
                )
        drop_strays(report)
        report_render(report_id=report.pk, progress=run.progress, job_id=job_id)
