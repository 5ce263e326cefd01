"""The guided import's uploaded files: stored, checked, read back, and deleted in time.

A file holds client references, so it is kept only while the flow needs it: under
``MEDIA_ROOT/imports/<organisation pk>/<uuid>``, deleted at once when it is refused, when
its import job ends (done, failed or cancelled), when the user discards it, and a day after
an upload that never became an import.

An upload's states (``UploadStatus``) and what happens to its file:

- ``uploaded``, ``mapped``: in the flow; the file stays. The preview's dry run reads it, and
  so does a full check (``upload_check_job``: a dry-run job of its own, never the upload's
  ``job``), which writes nothing and leaves the file for the import.
- ``importing``: ``job`` is the import; the file is deleted once that job ends
  (``upload_settle``), whatever its end.
- ``finished``: the import ended, or the upload was discarded or left; the file is gone.
"""

import datetime
import hashlib
import logging
import uuid as uuid_lib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meerwaarde.accounts.models import User
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.organisations.models import Organisation

from .fields import CLIENT_REFERENCE
from .models import ImportUpload, UploadStatus
from .reading import Table, open_table, refuse_identifying_columns

logger = logging.getLogger(__name__)

# An upload that was never imported is deleted after this long.
ABANDONED_AFTER = datetime.timedelta(days=1)
ENDED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


def _absolute(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("An upload lives under MEDIA_ROOT.")
    return path


# Selectors ------------------------------------------------------------------------------


def upload_get(*, organisation: Organisation, uuid: uuid_lib.UUID) -> ImportUpload:
    """The organisation's upload; 404 for another organisation's or an unknown one."""
    upload = (
        ImportUpload.objects.filter(organisation=organisation, uuid=uuid)
        .select_related("organisation", "job")
        .first()
    )
    if upload is None:
        raise Http404
    return upload


def uploads_recent(*, organisation: Organisation) -> QuerySet[ImportUpload]:
    return ImportUpload.objects.filter(organisation=organisation).select_related(
        "job", "uploaded_by"
    )


def upload_has_file(upload: ImportUpload) -> bool:
    return bool(upload.stored_path) and _absolute(upload.stored_path).exists()


def upload_check_job(upload: ImportUpload) -> Job | None:
    """The latest full check of ``upload`` (a dry-run job) if it checked the columns as they
    are mapped now; None otherwise (never checked, or mapped again since)."""
    check = (
        Job.objects.filter(
            organisation_id=upload.organisation_id,
            kind=JobKind.IMPORT,
            payload__upload=upload.pk,
            payload__dry_run=True,
        )
        .select_related("organisation")
        .order_by("-created_at", "-pk")
        .first()
    )
    if check is None or check.payload.get("column_map") != upload.column_map:
        return None
    return check


@contextmanager
def upload_table(upload: ImportUpload) -> Iterator[Table]:
    """The stored file as a ``Table``; raises ``FileProblem`` as ``open_table`` does and
    ``FileNotFoundError`` once the file was deleted."""
    if not upload.stored_path:
        raise FileNotFoundError(upload.uuid)
    with (
        _absolute(upload.stored_path).open("rb") as file,
        open_table(file, filename=upload.original_name) as table,
    ):
        yield table


# Services -------------------------------------------------------------------------------


def upload_store(
    *, organisation: Organisation, kind: str, file: UploadedFile, uploaded_by: User
) -> ImportUpload:
    """Store ``file``, check it can be read and holds no BSN or name column, and keep it.

    Raises ``FileProblem`` (Dutch) after deleting what was stored: a refused file leaves
    nothing on disk and no row.
    """
    key = uuid_lib.uuid4()
    relative = f"imports/{organisation.pk}/{key}"
    path = _absolute(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            for chunk in file.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        with path.open("rb") as stored:
            _check(stored, filename=file.name or "")
        return ImportUpload.objects.create(
            uuid=key,
            organisation=organisation,
            kind=kind,
            original_name=(file.name or "")[:255],
            stored_path=relative,
            sha256=digest.hexdigest(),
            size=size,
            uploaded_by=uploaded_by,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _check(file: BinaryIO, *, filename: str) -> None:
    with open_table(file, filename=filename) as table:
        refuse_identifying_columns(table)


def upload_delete_file(*, upload: ImportUpload) -> None:
    """Delete the stored file (idempotent) and forget where it was."""
    if upload.stored_path:
        _absolute(upload.stored_path).unlink(missing_ok=True)
        ImportUpload.objects.filter(pk=upload.pk).update(stored_path="")
        upload.stored_path = ""


def upload_discard(*, upload: ImportUpload) -> None:
    """The user stops before importing: the file goes, the row says it ended."""
    upload_delete_file(upload=upload)
    ImportUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.FINISHED)
    upload.status = UploadStatus.FINISHED


def upload_settle(*, upload: ImportUpload) -> None:
    """Once its job has ended: delete the file and mark the upload finished (the task has
    already left the client references out of the skipped rows). Safe to call again; does
    nothing while the job runs."""
    job = upload.job
    if job is None:
        return
    job.refresh_from_db()
    if job.status not in ENDED:
        return
    upload_delete_file(upload=upload)
    if upload.status != UploadStatus.FINISHED:
        ImportUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.FINISHED)
        upload.status = UploadStatus.FINISHED


def uploads_expire(*, organisation: Organisation) -> int:
    """Delete the files of this organisation's uploads that never became an import."""
    stale = ImportUpload.objects.filter(
        organisation=organisation,
        status__in=(UploadStatus.UPLOADED, UploadStatus.MAPPED),
        created_at__lt=timezone.now() - ABANDONED_AFTER,
    )
    count = 0
    for upload in stale:
        upload_discard(upload=upload)
        count += 1
    return count


def reference_columns(column_map: dict[str, str]) -> list[str]:
    return [column for column, field in column_map.items() if field == CLIENT_REFERENCE]


@transaction.atomic
def upload_mark_started(*, upload: ImportUpload, job: Job, on_error: str) -> None:
    ImportUpload.objects.filter(pk=upload.pk).update(
        job=job, on_error=on_error, status=UploadStatus.IMPORTING
    )
    upload.job, upload.on_error, upload.status = job, on_error, UploadStatus.IMPORTING
