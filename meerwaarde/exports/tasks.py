"""The background task that writes an organisation export (database queue: ``db_worker``)."""

import shutil

from django_tasks import task

from meerwaarde.exports.services import export_organisation
from meerwaarde.jobs.services import job_run


@task()
def export_task(job_id: int) -> None:
    """Export into a temporary folder, keep the file as the job's result, drop the folder;
    a cancel (``run.progress``) stops the export between two batches."""
    with job_run(job_id) as run:
        job = run.job
        path = export_organisation(
            organisation=job.organisation,
            fmt=job.payload["fmt"],
            progress=run.progress,
            user=job.created_by,
        )
        try:
            run.finish(file=path)
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
