"""The import as a job through the database queue: one transaction inside ``job_run``, the
skipped rows kept as the job's file, a refused file failing the job with a Dutch message."""

import csv
import io

import pytest
from django.core.management import call_command

from meerwaarde.imports.engine import RowProblem, write_problems_file
from meerwaarde.imports.tasks import import_task
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import job_start
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.tests.factories import OfferFactory

from .engine_helpers import END_ON, INTAKE_ON, MEASUREMENT_HEADER, identity, measurement_row

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _upload(settings, lines) -> str:
    folder = settings.MEDIA_ROOT / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    text = "\r\n".join(";".join(line) for line in [MEASUREMENT_HEADER, *lines]) + "\r\n"
    (folder / "bestand.csv").write_bytes(text.encode("utf-8"))
    return "imports/bestand.csv"


def _run(org, user, path, on_error) -> Job:
    job = job_start(
        organisation=org,
        kind=JobKind.IMPORT,
        title="Import",
        created_by=user,
        task=import_task,
        payload={
            "path": path,
            "filename": "bestand.csv",
            "kind": "metingen",
            "column_map": identity(MEASUREMENT_HEADER),
            "on_error": on_error,
        },
    )
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    return Job.objects.get(pk=job.pk)


def test_the_worker_imports_and_keeps_the_skipped_rows_without_references(
    settings, org_a, alice, shipped_instruments
):
    OfferFactory(organisation=org_a, name="Maatjes")
    path = _upload(
        settings,
        [
            measurement_row("C-1", "Maatjes", "intake", INTAKE_ON, 4),
            measurement_row("C-1", "Maatjes", "end", END_ON, 1),
            measurement_row("C-2", "Onbekend", "intake", INTAKE_ON, 4),
        ],
    )

    job = _run(org_a, alice, path, "skip")

    assert job.status == JobStatus.DONE, job.error
    assert Measurement.objects.filter(organisation=org_a).count() == 2
    with job.result_file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    assert "Onbekend aanbod" in text and "C-2" not in text
    assert job.payload["result"] == {
        "read": 3, "created": 2, "already_present": 0, "updated": 0, "skipped": 1,
    }  # fmt: skip


def test_a_problem_in_an_all_or_nothing_import_fails_the_job_and_writes_nothing(
    settings, org_a, alice, shipped_instruments
):
    OfferFactory(organisation=org_a, name="Maatjes")
    bad = measurement_row("C-1", "Maatjes", "end", END_ON, 1)
    bad[MEASUREMENT_HEADER.index("datum")] = "31-06-2025"
    path = _upload(settings, [measurement_row("C-1", "Maatjes", "intake", INTAKE_ON, 4), bad])

    job = _run(org_a, alice, path, "all_or_nothing")

    assert job.status == JobStatus.FAILED
    assert "Er is niets ingelezen" in job.error
    assert "Rij 3, kolom ‘datum’: ‘31-06-2025’ is geen bestaande datum." in job.error
    assert Measurement.objects.count() == 0


def test_a_bsn_column_fails_the_job_before_any_row_is_read(
    settings, org_a, alice, shipped_instruments
):
    folder = settings.MEDIA_ROOT / "imports"
    folder.mkdir(parents=True)
    (folder / "bsn.csv").write_bytes(b"bsn;aanbod_naam\r\n111222333;Maatjes\r\n")
    job = job_start(
        organisation=org_a,
        kind=JobKind.IMPORT,
        title="Import",
        created_by=alice,
        task=import_task,
        payload={
            "path": "imports/bsn.csv",
            "kind": "metingen",
            "column_map": {},
            "on_error": "skip",
        },
    )
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.FAILED
    assert "BSN" in job.error or "burgerservicenummer" in job.error


def _problems_file(job: Job) -> tuple[bytes, list[list[str]]]:
    with job.result_file.open("rb") as handle:
        raw = handle.read()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    return raw, rows


def test_a_failed_all_or_nothing_job_keeps_every_problem_in_its_file(
    settings, org_a, alice, shipped_instruments
):
    OfferFactory(organisation=org_a, name="Maatjes")
    lines = []
    for n in range(8):
        row = measurement_row(f"GEHEIM-{n}", "Maatjes", "intake", INTAKE_ON, 4)
        row[MEASUREMENT_HEADER.index("datum")] = f"3{n}-02-2025"
        lines.append(row)
    path = _upload(settings, lines)

    job = _run(org_a, alice, path, "all_or_nothing")

    assert job.status == JobStatus.FAILED
    # The message keeps its summary: five problems, how many more, where all of them are.
    assert "(en nog 3 problemen)" in job.error and "problemen.csv" in job.error
    assert job.result_filename == "problemen.csv" and job.payload["problems"] == 8
    raw, rows = _problems_file(job)
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert rows[0] == ["rij", "kolom", "melding"]
    assert [(row[0], row[1]) for row in rows[1:]] == [(str(n), "datum") for n in range(2, 10)]
    assert all("geen bestaande datum" in row[2] for row in rows[1:])
    assert b"GEHEIM" not in raw
    assert Measurement.objects.count() == 0


def test_a_skip_job_that_cannot_read_its_columns_keeps_the_problems_too(
    settings, org_a, alice, shipped_instruments
):
    path = _upload(settings, [measurement_row("C-1", "Maatjes", "intake", INTAKE_ON, 4)])
    job = job_start(
        organisation=org_a,
        kind=JobKind.IMPORT,
        title="Import",
        created_by=alice,
        task=import_task,
        payload={
            "path": path,
            "filename": "bestand.csv",
            "kind": "metingen",
            "column_map": {**identity(MEASUREMENT_HEADER), "verdwenen": "einddatum"},
            "on_error": "skip",
        },
    )
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Er is niets ingelezen" in job.error
    _raw, rows = _problems_file(job)
    assert rows[1] == ["", "verdwenen", "Deze kolom staat niet in het bestand."]


def test_the_problems_file_defuses_what_a_spreadsheet_would_run():
    out = io.BytesIO()
    count = write_problems_file(
        [RowProblem(4, "=kolom", "+31 6 1234"), RowProblem(None, "", "@SOM(A1)")], out
    )
    assert count == 2 and not out.closed
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [["4", "'=kolom", "'+31 6 1234"], ["", "", "'@SOM(A1)"]]
