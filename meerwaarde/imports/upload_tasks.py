"""The guided import's jobs: the import (``tasks.import_task``, then the file is deleted) and
the full check of the file before it (``import_task`` as a dry run; the file stays).

``import_upload_task`` adds what the guided flow promises around an import: the uploaded
file (client references) is deleted as soon as the import's job has ended, whether done,
failed or cancelled. A killed worker ends nothing, so its file stays for the retry
(``job_retry`` runs this task again). ``import_check_task`` reads every row as the import
would and writes nothing, so the file must stay for the import that may follow.
"""

from django.utils.translation import gettext as _
from django_tasks import task

from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import JobFailed, job_run

from .models import ImportUpload
from .tasks import import_task
from .uploads import upload_has_file, upload_settle


def _gone() -> JobFailed:
    return JobFailed(
        _(
            "Het bestand is niet meer bewaard: het wordt verwijderd zodra een "
            "import afloopt. Laad het opnieuw op om het nog eens in te lezen."
        )
    )


@task()
def import_upload_task(job_id: int) -> None:
    upload = ImportUpload.objects.select_related("job").filter(job_id=job_id).first()
    try:
        if upload is not None and not upload_has_file(upload):
            with job_run(job_id):
                raise _gone()
        import_task.func(job_id)
    finally:
        if upload is not None:
            upload_settle(upload=upload)


@task()
def import_check_task(job_id: int) -> None:
    """Check every row of the upload (``payload["upload"]``) as its import would; the job's
    file lists the problems. Never deletes the upload's file: the import comes after."""
    payload = Job.objects.filter(pk=job_id).values_list("payload", flat=True).first() or {}
    if payload.get("dry_run") is not True:
        with job_run(job_id):
            raise RuntimeError("import_check_task only checks: its payload needs dry_run=True")
    upload_pk = payload.get("upload")
    upload = ImportUpload.objects.filter(pk=upload_pk).first() if upload_pk else None
    if upload is None or not upload_has_file(upload):
        with job_run(job_id):
            raise _gone()
    import_task.func(job_id)
