"""The background job that restores an export (``restore.restore_export``).

``job.payload``: ``path`` (the uploaded zip, under MEDIA_ROOT), ``filename`` and
``restore: true`` (how its page knows the job); the task adds ``result`` (counts per kind and
what was left out) when it is done, ``problems`` (how many) when it is not. The zip is
deleted once the job has ended, done, failed or cancelled; a killed worker ends nothing, so
the zip stays for the retry. All or nothing: ``restore_export`` opens its transaction inside
``job_run``'s block.
"""

import tempfile
import uuid
from pathlib import Path

from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from meerwaarde.accounts.models import User
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import JobFailed, job_run, job_start
from meerwaarde.organisations.models import Organisation

from .engine import PROBLEMS_FILE_NAME, write_problems_file
from .reading import FileProblem
from .restore import RestoreProblem, restore_export
from .tasks import PROBLEMS_IN_MESSAGE, upload_path

ENDED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


@task()
def restore_task(job_id: int) -> None:
    payload = Job.objects.filter(pk=job_id).values_list("payload", flat=True).first() or {}
    try:
        _restore(job_id)
    finally:
        if Job.objects.filter(pk=job_id, status__in=ENDED).exists() and payload.get("path"):
            upload_path(payload["path"]).unlink(missing_ok=True)


def _restore(job_id: int) -> None:
    # Spooled outside ``job_run``: still open when a ``JobFailed`` carrying it reaches there.
    with tempfile.TemporaryFile() as spool, job_run(job_id) as run:
        job = run.job
        payload = {k: v for k, v in job.payload.items() if k not in ("result", "problems")}
        path = upload_path(payload["path"])
        if not path.exists():
            raise JobFailed(
                _(
                    "Het bestand is niet meer bewaard: het wordt verwijderd zodra het inlezen "
                    "afloopt. Laad de export opnieuw op."
                )
            )
        with path.open("rb") as file:
            try:
                result = restore_export(
                    organisation=job.organisation,
                    file=file,
                    user=job.created_by,
                    progress=run.progress,
                )
            except FileProblem as problem:
                raise JobFailed(str(problem)) from None
        if result.problems:
            count = write_problems_file((p.as_row_problem() for p in result.problems), spool)
            Job.objects.filter(pk=job.pk).update(payload={**payload, "problems": count})
            raise JobFailed(_summary(result.problems), file=File(spool), name=PROBLEMS_FILE_NAME)
        Job.objects.filter(pk=job.pk).update(payload={**payload, "result": result.summary()})


def _summary(problems: list[RestoreProblem]) -> str:
    shown = "; ".join(str(p) for p in problems[:PROBLEMS_IN_MESSAGE])
    more = len(problems) - PROBLEMS_IN_MESSAGE
    text = _("Er is niets ingelezen, uit geen enkel bestand van de export. %(problems)s") % {
        "problems": shown
    }
    if more > 0:
        text += " " + ngettext("(en nog %(n)s probleem)", "(en nog %(n)s problemen)", more) % {
            "n": more
        }
    return text + " " + _("Alle problemen staan in %(file)s.") % {"file": PROBLEMS_FILE_NAME}


def restore_start(*, organisation: Organisation, file: UploadedFile, user: User) -> Job:
    """Keep the uploaded export under MEDIA_ROOT and queue its restore as a job."""
    relative = f"imports/{organisation.pk}/export-{uuid.uuid4()}.zip"
    target = upload_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    name = Path(file.name or "export.zip").name[:200]
    try:
        return job_start(
            organisation=organisation,
            kind=JobKind.IMPORT,
            title=_("Export inlezen: %(name)s") % {"name": name},
            created_by=user,
            task=restore_task,
            payload={"path": relative, "filename": name, "restore": True},
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
