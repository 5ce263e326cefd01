"""A real ``db_worker`` in its own process, for the tests that kill one mid-job
(PostgreSQL only: the test database must be open to another process)."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from meerwaarde.jobs import progress as files


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate: Callable[[], bool], *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.05)


def done(pk: int) -> int:
    """The rows a running job has reported done (its progress file)."""
    record = files.progress_read(pk)
    return record.done if record is not None else 0


@contextmanager
def killed_worker(**env: str) -> Iterator[subprocess.Popen]:
    """A worker on the test database; killed with SIGKILL when the block ends."""
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
