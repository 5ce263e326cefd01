"""The import of trajectories with measurements: per-row checks with Dutch messages, the
database untouched by a refused file, skipping, natural keys, pseudonyms and tenancy."""

import csv
import io
import logging

import pytest
from django.db import connection

from meerwaarde.imports.engine import import_table, skipped_rows_file
from meerwaarde.imports.fields import ImportKind
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants.models import Participant, Trajectory
from meerwaarde.participants.pseudonyms import pseudonym_for

from .engine_helpers import (
    END_ON,
    INTAKE_ON,
    MEASUREMENT_HEADER,
    counts,
    csv_table,
    identity,
    measurement_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(org_a):
    return OfferFactory(organisation=org_a, name="Maatjes Zwolle")


def _import(org, lines, *, header=MEASUREMENT_HEADER, on_error="all_or_nothing", **kwargs):
    with csv_table([header, *lines]) as table:
        return import_table(
            organisation=org,
            kind=ImportKind.MEASUREMENTS,
            table=table,
            column_map=kwargs.pop("column_map", identity(header)),
            on_error=on_error,
            dry_run=kwargs.pop("dry_run", False),
            **kwargs,
        )


def _good_lines():
    return [
        measurement_row("CL-1", "Maatjes Zwolle", "intake", INTAKE_ON, 5),
        measurement_row("CL-1", "Maatjes Zwolle", "eindmeting", END_ON, 2),
        measurement_row("CL-2", "maatjes zwolle", "Intake", INTAKE_ON, 4),
        measurement_row("CL-2", "Maatjes Zwolle", "end", END_ON, 4),
    ]


def test_it_imports_participants_trajectories_and_measurements_with_their_pairs(
    org_a, offer, shipped_instruments
):
    result = _import(org_a, _good_lines())

    assert result.problems == []
    assert (result.read, result.created, result.already_present) == (4, 4, 0)
    assert Participant.objects.filter(organisation=org_a).count() == 2
    assert Trajectory.objects.filter(organisation=org_a, offer=offer).count() == 2
    measurement = Measurement.objects.get(
        moment="end",
        trajectory__participant__pseudonym=(pseudonym_for(organisation=org_a, reference="CL-1")),
    )
    assert measurement.scores["total"]["value"] == 2
    assert measurement.answers["e1"] == "ja"
    from meerwaarde.analysis.models import OutcomePair

    assert OutcomePair.objects.filter(trajectory__organisation=org_a, scale="total").count() == 2


def test_it_refuses_a_file_without_a_required_column_before_reading_rows(
    org_a, offer, shipped_instruments
):
    header = [c for c in MEASUREMENT_HEADER if c != "moment"]
    lines = [
        [v for i, v in enumerate(row) if MEASUREMENT_HEADER[i] != "moment"] for row in _good_lines()
    ]
    before = counts()

    result = _import(org_a, lines, header=header)

    assert result.read == 0
    assert [(p.row, p.column) for p in result.problems] == [(None, "Moment")]
    assert "De verplichte kolom ‘Moment’ ontbreekt" in result.problems[0].message
    assert counts() == before


def test_it_needs_a_client_reference_or_a_pseudonym_column(org_a, offer, shipped_instruments):
    header = MEASUREMENT_HEADER[1:]
    result = _import(org_a, [row[1:] for row in _good_lines()], header=header)

    assert result.read == 0
    assert "cliëntnummer of met het pseudoniem" in result.problems[0].message


def test_it_names_row_and_column_of_an_answer_outside_the_items_options(
    org_a, offer, shipped_instruments
):
    lines = _good_lines()
    lines[2][MEASUREMENT_HEADER.index("s2")] = "misschien"
    before = counts()

    result = _import(org_a, lines)

    assert [(p.row, p.column) for p in result.problems] == [(4, "s2")]
    assert result.problems[0].message.startswith("Kies een van de antwoorden")
    assert not result.written
    assert counts() == before


def test_it_names_row_and_column_of_an_impossible_score(org_a, offer, shipped_instruments):
    header = [*MEASUREMENT_HEADER[:7], "lichaamsfuncties", "zingeving"]
    line = measurement_row("CL-1", "Maatjes Zwolle", "intake", INTAKE_ON, 0)[:7]
    line[MEASUREMENT_HEADER.index("instrument_code")] = "pg"
    before = counts()

    result = _import(org_a, [[*line, "7", "12"]], header=header)

    assert [(p.row, p.column) for p in result.problems] == [(2, "zingeving")]
    assert "10" in result.problems[0].message
    assert counts() == before


def test_it_names_an_unknown_instrument(org_a, offer, shipped_instruments):
    lines = _good_lines()
    lines[1][MEASUREMENT_HEADER.index("instrument_code")] = "eenzaamheid-x"
    before = counts()

    result = _import(org_a, lines)

    assert [(p.row, p.column) for p in result.problems] == [(3, "instrument_code")]
    assert result.problems[0].message.startswith("Onbekend meetinstrument ‘eenzaamheid-x’")
    assert counts() == before


def test_it_names_a_date_that_does_not_exist(org_a, offer, shipped_instruments):
    lines = _good_lines()
    lines[0][MEASUREMENT_HEADER.index("datum")] = "31-02-2025"
    before = counts()

    result = _import(org_a, lines)

    assert [(p.row, p.column) for p in result.problems] == [(2, "datum")]
    assert result.problems[0].message == "‘31-02-2025’ is geen bestaande datum."
    assert counts() == before


def test_it_names_a_row_that_stands_twice_in_the_file(org_a, offer, shipped_instruments):
    lines = [*_good_lines(), _good_lines()[1]]
    before = counts()

    result = _import(org_a, lines)

    assert [(p.row, p.message) for p in result.problems] == [(6, "Deze meting staat ook in rij 3.")]
    assert counts() == before


def test_it_finds_a_duplicate_row_in_a_later_batch(org_a, offer, shipped_instruments, monkeypatch):
    from meerwaarde.imports import engine

    monkeypatch.setattr(engine, "BATCH", 2)
    lines = [*_good_lines(), _good_lines()[0]]

    result = _import(org_a, lines)

    assert [(p.row, p.message) for p in result.problems] == [
        (6, "Deze meting staat al eerder in het bestand.")
    ]
    assert Measurement.objects.count() == 0


def test_it_names_an_offer_of_another_organisation_unknown(
    org_a, org_b, offer, shipped_instruments
):
    OfferFactory(organisation=org_b, name="Buurtkamer Beta")
    lines = [measurement_row("CL-9", "Buurtkamer Beta", "intake", INTAKE_ON, 3)]
    before = counts()

    result = _import(org_a, lines)

    assert [(p.row, p.column) for p in result.problems] == [(2, "aanbod_naam")]
    assert result.problems[0].message.startswith("Onbekend aanbod ‘Buurtkamer Beta’")
    assert counts() == before


def test_skip_writes_the_good_rows_and_gives_the_bad_ones_back_with_a_reason(
    org_a, offer, shipped_instruments
):
    lines = _good_lines()
    lines[3][MEASUREMENT_HEADER.index("datum")] = "30-02-2025"

    result = _import(org_a, lines, on_error="skip")

    assert (result.created, result.skipped) == (3, 1)
    assert result.written
    assert Measurement.objects.filter(organisation=org_a).count() == 3
    rows = list(
        csv.reader(io.StringIO(skipped_rows_file(result).decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == [*MEASUREMENT_HEADER, "rij", "reden"]
    assert len(rows) == 2
    assert rows[1][0] == "CL-2" and rows[1][-2] == "5"
    assert rows[1][-1] == "datum: ‘30-02-2025’ is geen bestaande datum."
    # The file the job keeps leaves the client reference out; the row number finds it.
    kept = skipped_rows_file(result, blank=["clientnummer"]).decode("utf-8-sig")
    assert "CL-2" not in kept
    assert "30-02-2025" in kept


def test_a_dry_run_checks_everything_and_writes_nothing(org_a, offer, shipped_instruments):
    before = counts()

    result = _import(org_a, _good_lines(), dry_run=True)

    assert (result.created, result.problems) == (4, [])
    assert not result.written
    assert counts() == before


def test_importing_the_same_file_twice_creates_no_duplicates(org_a, offer, shipped_instruments):
    _import(org_a, _good_lines())
    after_first = counts()

    again = _import(org_a, _good_lines())

    assert (again.created, again.already_present, again.problems) == (0, 4, [])
    after_first.pop("stamp")
    second = counts()
    second.pop("stamp")
    assert second == after_first


def test_it_refuses_a_row_that_changes_a_stored_measurement(org_a, offer, shipped_instruments):
    _import(org_a, _good_lines())
    lines = _good_lines()
    lines[1] = measurement_row("CL-1", "Maatjes Zwolle", "end", END_ON, 6)

    result = _import(org_a, lines)

    assert [p.row for p in result.problems] == [3]
    assert "met andere antwoorden" in result.problems[0].message


def test_a_new_participant_needs_an_age_band(org_a, offer, shipped_instruments):
    lines = [measurement_row("CL-7", "Maatjes Zwolle", "intake", INTAKE_ON, 3)]
    lines[0][MEASUREMENT_HEADER.index("leeftijdsgroep")] = ""

    result = _import(org_a, lines)

    assert [(p.row, p.column) for p in result.problems] == [(2, "leeftijdsgroep")]


def test_client_references_are_pseudonymised_and_never_stored_or_logged(
    org_a, offer, shipped_instruments, caplog
):
    reference = "ZW-REF-4711"
    lines = [
        measurement_row(reference, "Maatjes Zwolle", "intake", INTAKE_ON, 5),
        measurement_row(reference, "Maatjes Zwolle", "end", END_ON, 1),
    ]
    caplog.set_level(logging.DEBUG)

    result = _import(org_a, lines)

    assert result.created == 2
    participant = Participant.objects.get(organisation=org_a)
    assert participant.pseudonym == pseudonym_for(organisation=org_a, reference=reference)
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names from the introspection, quoted: nothing from outside the test.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                if any(reference.casefold() in str(value).casefold() for value in row):
                    found.append(table)
    assert found == []
    assert reference.casefold() not in caplog.text.casefold()


def test_a_bsn_as_client_reference_is_refused_without_repeating_it(
    org_a, offer, shipped_instruments
):
    lines = [measurement_row("111222333", "Maatjes Zwolle", "intake", INTAKE_ON, 3)]

    result = _import(org_a, lines)

    assert [(p.row, p.column) for p in result.problems] == [(2, "clientnummer")]
    assert "burgerservicenummer" in result.problems[0].message
    assert "111222333" not in result.problems[0].message


def test_a_formula_halfway_the_file_refuses_the_whole_file(org_a, offer, shipped_instruments):
    lines = _good_lines()
    lines[2][MEASUREMENT_HEADER.index("e1")] = "=HYPERLINK(1)"
    before = counts()

    result = _import(org_a, lines, on_error="skip")

    assert result.file_problem and not result.written
    assert [(p.row, p.column) for p in result.problems] == [(4, "")]
    assert counts() == before


def test_empty_lines_are_skipped_and_rows_keep_their_spreadsheet_number(
    org_a, offer, shipped_instruments
):
    lines = _good_lines()
    lines[3][MEASUREMENT_HEADER.index("datum")] = "29-02-2025"
    empty = [""] * len(MEASUREMENT_HEADER)

    result = _import(org_a, [lines[0], empty, lines[1], empty, lines[2], lines[3]])

    assert result.read == 4
    assert [p.row for p in result.problems] == [7]


def test_a_dutch_moment_reads_on_an_english_page_too(org_a, offer, shipped_instruments):
    from django.utils import translation

    lines = _good_lines()
    lines[1][MEASUREMENT_HEADER.index("moment")] = "Eindmeting"
    with translation.override("en"):
        result = _import(org_a, lines)

    assert (result.created, result.problems) == (4, [])
