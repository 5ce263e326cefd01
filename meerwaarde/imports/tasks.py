"""The background task that runs an import (database queue: ``db_worker``).

``job.payload``: ``path`` (the uploaded file, under MEDIA_ROOT), ``filename`` (as uploaded),
``kind``, ``column_map`` ({file column: field}), ``on_error`` and optionally ``dry_run``;
the task adds ``result``, the counts of a finished import. Client references are blanked in
the skipped rows before that file is kept.
The whole import is one transaction, opened inside ``job_run`` (which refuses to start in
one): a cancel, a failure or a killed worker leaves the database as it was.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import JobFailed, job_run

from .engine import import_table, skipped_rows_file
from .fields import CLIENT_REFERENCE
from .reading import FileProblem, open_table, refuse_identifying_columns

RESULT_COUNTS = ("read", "created", "already_present", "updated", "skipped")


def _upload_path(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("An import reads only files under MEDIA_ROOT.")
    return path


@task()
def import_task(job_id: int) -> None:
    """Import the job's file; all-or-nothing with a problem fails the job with the first
    problems, a skip import keeps the skipped rows as the job's result file."""
    with job_run(job_id) as run:
        job = run.job
        payload = job.payload
        with _upload_path(payload["path"]).open("rb") as file:
            try:
                with open_table(file, filename=payload.get("filename", "")) as table:
                    refuse_identifying_columns(table)
                    with transaction.atomic():
                        result = import_table(
                            organisation=job.organisation,
                            kind=payload["kind"],
                            table=table,
                            column_map=payload["column_map"],
                            on_error=payload["on_error"],
                            dry_run=bool(payload.get("dry_run")),
                            progress=run.progress,
                            user=job.created_by,
                        )
            except FileProblem as problem:
                raise JobFailed(str(problem)) from None
        if result.problems and not result.written:
            shown = "; ".join(str(p) for p in result.problems[:5])
            more = len(result.problems) - 5
            if more > 0:
                shown += " " + ngettext(
                    "(en nog %(n)s probleem)", "(en nog %(n)s problemen)", more
                ) % {"n": more}
            raise JobFailed(_("Er is niets ingelezen. %(problems)s") % {"problems": shown})
        # The counts for the result page; the row is this job's own until the block ends.
        counts = {name: getattr(result, name) for name in RESULT_COUNTS}
        Job.objects.filter(pk=job.pk).update(payload={**payload, "result": counts})
        if result.bad_rows:
            references = [c for c, f in payload["column_map"].items() if f == CLIENT_REFERENCE]
            run.finish(
                file=skipped_rows_file(result, blank=references), name="overgeslagen-rijen.csv"
            )
