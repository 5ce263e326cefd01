"""The guided import's job: ``tasks.import_task``, then the file is deleted.

``import_task`` does the import (and keeps the skipped rows without their client references);
this adds what the guided flow promises around it: the uploaded file (client references) is
deleted as soon as the job has ended, whether done, failed or cancelled. A killed worker
ends nothing, so its file stays for the retry (``job_retry`` runs this task again).
"""

from django.utils.translation import gettext as _
from django_tasks import task

from meerwaarde.jobs.services import JobFailed, job_run

from .models import ImportUpload
from .tasks import import_task
from .uploads import upload_has_file, upload_settle


@task()
def import_upload_task(job_id: int) -> None:
    upload = ImportUpload.objects.select_related("job").filter(job_id=job_id).first()
    try:
        if upload is not None and not upload_has_file(upload):
            with job_run(job_id):
                raise JobFailed(
                    _(
                        "Het bestand is niet meer bewaard: het wordt verwijderd zodra een "
                        "import afloopt. Laad het opnieuw op om het nog eens in te lezen."
                    )
                )
        import_task.func(job_id)
    finally:
        if upload is not None:
            upload_settle(upload=upload)
