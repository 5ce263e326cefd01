"""A task for the tests only: counts to ``payload["n"]``, one auth Group per step, all in one
transaction, the way an import writes its rows. The payload can make it fail, be cancelled
from outside, hang (until killed), keep a result file, or be refused with a file of its own."""

import time

from django.contrib.auth.models import Group
from django.db import transaction
from django_tasks import task

from meerwaarde.jobs.models import Job
from meerwaarde.jobs.selectors import job_progress
from meerwaarde.jobs.services import JobFailed, job_cancel, job_run

# What the page would have shown during the run, one entry per step: (done, total, stale).
SEEN: list[tuple[int, int | None, bool]] = []


@task()
def count_task(job_id: int) -> None:
    with job_run(job_id) as run:
        payload = run.job.payload
        n = payload["n"]
        with transaction.atomic():
            for step in range(1, n + 1):
                Group.objects.create(name=f"job-{job_id}-{step}")
                if payload.get("cancel_at") == step:
                    # As a coordinator's click would, from another request.
                    job_cancel(job=Job.objects.get(pk=job_id))
                if payload.get("fail_at") == step:
                    raise OSError("disk full at /srv/geheim/pad")
                if payload.get("refuse_at") == step:
                    raise JobFailed("Rij 3: '31-02-2025' is geen bestaande datum.")
                if payload.get("refuse_with_file_at") == step:
                    if payload.get("result"):  # a result kept earlier, replaced by the list
                        run.finish(file=payload["result"].encode("utf-8"), name="telling.csv")
                    raise JobFailed(
                        "3 problemen.", file=b"rij;melding\n1;a\n2;b\n3;c\n", name="problemen.csv"
                    )
                run.progress(step, n)
                if payload.get("observe"):
                    progress = job_progress(Job.objects.get(pk=job_id))
                    SEEN.append((progress.done, progress.total, progress.stale))
                if payload.get("hang_at") == step and run.attempt == 1:
                    while True:  # until the test kills this worker
                        time.sleep(0.1)
                        run.progress(step, n)
        if payload.get("result"):
            run.finish(file=payload["result"].encode("utf-8"), name="telling.csv")
