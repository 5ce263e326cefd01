"""The files a running job shares with the pages: its progress and the request to stop.

``MEDIA_ROOT/jobs/progress/<pk>.json`` holds ``{"done", "total", "at", "attempt"}``, written to
a temporary file and ``os.replace``d so a reader never sees half of it. ``<pk>.cancel``
exists once someone asked the job to stop. Files, not the database: an import holds one
transaction open for its whole run, and on SQLite no other connection can write meanwhile.
"""

import datetime
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class ProgressRecord:
    done: int
    total: int | None
    at: datetime.datetime
    # Which run of the job wrote it: a retry starts the next, and an older run that is
    # somehow still going learns from this that it has been superseded.
    attempt: int


def progress_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / "progress"


def progress_path(pk: int) -> Path:
    return progress_dir() / f"{pk}.json"


def cancel_path(pk: int) -> Path:
    return progress_dir() / f"{pk}.cancel"


def progress_write(
    pk: int, *, done: int, total: int | None, attempt: int, at: datetime.datetime | None = None
) -> None:
    folder = progress_dir()
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "done": done,
        "total": total,
        "at": (at or timezone.now()).isoformat(),
        "attempt": attempt,
    }
    with tempfile.NamedTemporaryFile(
        "w", dir=folder, prefix=f".{pk}-", suffix=".tmp", delete=False, encoding="utf-8"
    ) as handle:
        json.dump(record, handle)
    os.replace(handle.name, progress_path(pk))


def progress_read(pk: int) -> ProgressRecord | None:
    """The job's last progress, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(progress_path(pk).read_text(encoding="utf-8"))
        total = data.get("total")
        return ProgressRecord(
            done=int(data["done"]),
            total=None if total is None else int(total),
            at=datetime.datetime.fromisoformat(data["at"]),
            attempt=int(data.get("attempt", 1)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def cancel_request(pk: int) -> None:
    folder = progress_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cancel_path(pk).touch()


def cancel_requested(pk: int) -> bool:
    return cancel_path(pk).exists()


def progress_clear(pk: int) -> None:
    """Forget the job's files: the row holds its final state from now on."""
    progress_path(pk).unlink(missing_ok=True)
    cancel_path(pk).unlink(missing_ok=True)
