"""The background task that runs an import (database queue: ``db_worker``).

``job.payload``: ``path`` (the uploaded file, under MEDIA_ROOT), ``filename`` (as uploaded),
``kind``, ``column_map`` ({file column: field}), ``on_error`` and optionally ``dry_run``;
the task adds ``result`` (the counts of the rows read) and ``problems`` (how many problems the
job's ``problemen.csv`` holds). Client references are blanked in the skipped rows before that
file is kept; the problems file holds none (a problem names a column, not a client's value).
The whole import is one transaction, opened inside ``job_run`` (which refuses to start in
one): a cancel, a failure or a killed worker leaves the database as it was.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import JobFailed, job_run

from .engine import (
    PROBLEMS_FILE_NAME,
    RowProblem,
    import_table,
    skipped_rows_file,
    write_problems_file,
)
from .fields import CLIENT_REFERENCE
from .reading import FileProblem, open_table, refuse_identifying_columns

RESULT_COUNTS = ("read", "created", "already_present", "updated", "skipped")
# The job's message names this many problems; its file (problemen.csv) holds all of them.
PROBLEMS_IN_MESSAGE = 5


def upload_path(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("An import reads only files under MEDIA_ROOT.")
    return path


@task()
def import_task(job_id: int) -> None:
    """Import the job's file, or with ``dry_run`` only check every row of it.

    An import with problems that wrote nothing (all-or-nothing, or a file that broke off)
    fails the job with the first problems in its message and every problem in its file
    (``problemen.csv``); a skip import keeps the skipped rows as the job's file. A dry run
    that could read the whole file is done, with its problems (if any) as its file."""
    # Spooled outside ``job_run``: still open when a ``JobFailed`` carrying it reaches there.
    with tempfile.TemporaryFile() as spool, job_run(job_id) as run:
        job = run.job
        payload = {k: v for k, v in job.payload.items() if k not in ("result", "problems")}
        dry_run = bool(payload.get("dry_run"))
        with upload_path(payload["path"]).open("rb") as file:
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
                            dry_run=dry_run,
                            progress=run.progress,
                            user=job.created_by,
                        )
            except FileProblem as problem:
                raise JobFailed(str(problem)) from None
        problems = write_problems_file(result.problems, spool) if result.problems else 0
        # The counts for the result page; the row is this job's own until the block ends.
        counts = {name: getattr(result, name) for name in RESULT_COUNTS}
        Job.objects.filter(pk=job.pk).update(
            payload={**payload, "result": counts, "problems": problems}
        )
        if problems and not result.written:
            if dry_run and not result.file_problem:
                run.finish(file=File(spool), name=PROBLEMS_FILE_NAME)
                return
            raise JobFailed(
                _summary(result.problems, dry_run=dry_run),
                file=File(spool),
                name=PROBLEMS_FILE_NAME,
            )
        if result.bad_rows:
            references = [c for c, f in payload["column_map"].items() if f == CLIENT_REFERENCE]
            run.finish(
                file=skipped_rows_file(result, blank=references), name="overgeslagen-rijen.csv"
            )


def _summary(problems: list[RowProblem], *, dry_run: bool) -> str:
    """The job's message: the first problems, how many more, and where all of them are."""
    shown = "; ".join(str(p) for p in problems[:PROBLEMS_IN_MESSAGE])
    more = len(problems) - PROBLEMS_IN_MESSAGE
    if more > 0:
        shown += " " + ngettext("(en nog %(n)s probleem)", "(en nog %(n)s problemen)", more) % {
            "n": more
        }
    if dry_run:
        text = _("Het bestand kon niet helemaal worden gecontroleerd. %(problems)s")
    else:
        text = _("Er is niets ingelezen. %(problems)s")
    everything = _("Alle problemen staan in %(file)s.") % {"file": PROBLEMS_FILE_NAME}
    return f"{text % {'problems': shown}} {everything}"
