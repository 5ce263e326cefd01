"""A job's progress as the page shows it: the progress file, percent, time left, stale."""

import datetime

import pytest
from django.utils import timezone, translation

from meerwaarde.jobs import progress as files
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.presentation import counts_text, job_state, safe_next, time_left_text
from meerwaarde.jobs.selectors import job_can_retry, job_progress

from .factories import JobFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _running(org, *, started=NOW - datetime.timedelta(seconds=10), **fields):
    return JobFactory(organisation=org, status=JobStatus.RUNNING, started_at=started, **fields)


def test_the_progress_file_reads_back_what_was_written(org_a):
    files.progress_write(7, done=12_000, total=40_000, attempt=2, at=NOW)
    record = files.progress_read(7)
    assert record == files.ProgressRecord(done=12_000, total=40_000, at=NOW, attempt=2)
    # Replaced whole: no temporary file is left beside it.
    assert [p.name for p in files.progress_dir().iterdir()] == ["7.json"]


def test_a_missing_or_damaged_progress_file_reads_as_none(org_a):
    assert files.progress_read(8) is None
    files.progress_dir().mkdir(parents=True)
    files.progress_path(8).write_text('{"done": 3', encoding="utf-8")
    assert files.progress_read(8) is None


def test_a_running_job_shows_the_files_counts_and_the_time_left_at_the_rate_so_far(org_a):
    job = _running(org_a, total=100)
    files.progress_write(job.pk, done=25, total=100, attempt=1, at=NOW)
    progress = job_progress(job, now=NOW + datetime.timedelta(seconds=1))
    assert (progress.done, progress.total, progress.percent) == (25, 100, 25)
    # 25 rows in 10 seconds: the other 75 take 30 more.
    assert progress.seconds_left == 30
    assert not progress.stale and progress.active


def test_it_is_stale_after_a_minute_without_progress(org_a):
    job = _running(org_a, total=100)
    files.progress_write(job.pk, done=25, total=100, attempt=1, at=NOW)
    assert not job_progress(job, now=NOW + datetime.timedelta(seconds=59)).stale
    stale = job_progress(job, now=NOW + datetime.timedelta(seconds=61))
    assert stale.stale and not stale.active and stale.seconds_left is None
    assert job_can_retry(job=job, progress=stale)


def test_a_job_that_died_before_writing_any_progress_goes_stale_from_its_start(org_a):
    job = _running(org_a, started=NOW)
    assert not job_progress(job, now=NOW + datetime.timedelta(seconds=30)).stale
    assert job_progress(job, now=NOW + datetime.timedelta(seconds=61)).stale


def test_an_older_attempts_file_does_not_count(org_a):
    job = _running(org_a, attempts=2, done=0, total=10, started=NOW)
    files.progress_write(job.pk, done=9, total=10, attempt=1, at=NOW)
    assert job_progress(job, now=NOW).done == 0


def test_no_estimate_without_a_total_or_before_a_second_has_passed(org_a):
    job = _running(org_a, started=NOW)
    files.progress_write(
        job.pk, done=500, total=None, attempt=1, at=NOW + datetime.timedelta(seconds=5)
    )
    progress = job_progress(job, now=NOW)
    assert progress.percent is None and progress.seconds_left is None
    files.progress_write(
        job.pk, done=5, total=10, attempt=1, at=NOW + datetime.timedelta(seconds=0.5)
    )
    assert job_progress(job, now=NOW).seconds_left is None


def test_queued_finished_and_failed_jobs_read_the_row(org_a):
    queued = JobFactory(organisation=org_a, total=40)
    assert (job_progress(queued).done, job_progress(queued).percent) == (0, 0)
    done = JobFactory(organisation=org_a, status=JobStatus.DONE, done=40, total=40)
    assert job_progress(done).percent == 100
    failed = JobFactory(organisation=org_a, status=JobStatus.FAILED, done=10, total=40)
    assert (job_progress(failed).done, job_progress(failed).percent) == (10, 25)
    assert job_can_retry(job=failed) and not job_can_retry(job=done)
    assert not job_can_retry(job=queued)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (0, "nog minder dan een minuut"),
        (59, "nog minder dan een minuut"),
        (60, "nog ongeveer 1 minuut"),
        (89, "nog ongeveer 1 minuut"),
        (90, "nog ongeveer 2 minuten"),
        (45 * 60, "nog ongeveer 45 minuten"),
        (60 * 60, "nog ongeveer 1 uur"),
        (150 * 60, "nog ongeveer 3 uur"),
    ],
)
def test_the_time_left_reads_as_plain_dutch(seconds, text):
    assert time_left_text(seconds) == text


def test_counts_read_with_dutch_thousands_and_their_unit(org_a):
    job = _running(org_a, total=40_000)
    files.progress_write(job.pk, done=12_000, total=40_000, attempt=1, at=NOW)
    progress = job_progress(job, now=NOW)
    assert counts_text(JobKind.IMPORT, progress) == "12.000 van 40.000 rijen"
    assert counts_text(JobKind.REPORT, job_progress(JobFactory(organisation=org_a, total=1))) == (
        "0 van 1 stap"
    )


def test_the_live_region_speaks_at_each_tenth_not_at_every_row(org_a):
    job = _running(org_a, total=1000, started=timezone.now() - datetime.timedelta(seconds=100))
    keys = set()
    for done in (300, 301, 350, 399):
        files.progress_write(job.pk, done=done, total=1000, attempt=1)
        keys.add(job_state(job).key)
    assert keys == {"running-30"}
    files.progress_write(job.pk, done=400, total=1000, attempt=1)
    state = job_state(job)
    assert state.key == "running-40"
    # 400 rows in 100 seconds: 150 seconds for the other 600.
    assert state.announcement == "Bezig: 40 procent klaar, nog ongeveer 3 minuten."


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("/organisaties/welzijn-alfa/import/3/", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("javascript:alert(1)", False),
        ("/\\evil.example", False),
        (None, False),
    ],
)
def test_only_a_page_on_this_site_is_a_way_back(value, kept):
    assert (safe_next(value) == value) is kept
