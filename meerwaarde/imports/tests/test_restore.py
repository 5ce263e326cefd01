"""Restoring an export in one step: the round trip gives the same figures, a second restore
adds nothing, one bad row anywhere writes nothing at all, and a file that is not an export is
refused with a message that says why."""

import io
import zipfile
from pathlib import Path

import pytest

from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
from meerwaarde.exports.services import export_organisation
from meerwaarde.imports.reading import FileProblem
from meerwaarde.imports.restore import check_archive, restore_export
from meerwaarde.measurements.models import Measurement
from meerwaarde.measurements.services import measurement_correct
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory
from meerwaarde.participants.models import Participant, Trajectory
from meerwaarde.participants.services import participant_register, trajectory_start

from .engine_helpers import DJG6, START, counts, djg6
from .test_figures import (
    PEOPLE,
    _by_services,
    _figures,
    _sector,
    _twice,
    concepts,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="kind")
def kind_fixture():
    return InterventionTypeFactory()


@pytest.fixture(name="exported")
def exported_fixture(org_a, kind, shipped_instruments, concepts):  # noqa: F811 (the fixture)
    offer = OfferFactory(organisation=org_a, name="Maatjes", intervention_type=kind)
    _by_services(org_a, offer, shipped_instruments["djg6-1"], concepts)
    path = export_organisation(organisation=org_a, fmt="csv")
    yield path
    path.unlink(missing_ok=True)


def _restore(org, path: Path):
    with path.open("rb") as file:
        return restore_export(organisation=org, file=file)


def _rewritten(path: Path, table: str, change) -> io.BytesIO:
    """The export with ``change(text) -> text`` applied to one of its files."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == f"{table}.csv":
                data = change(data.decode("utf-8-sig")).encode("utf-8-sig")
            target.writestr(name, data)
    out.seek(0)
    return out


def test_a_restored_export_gives_the_figures_of_the_exporting_organisation(
    org_a,
    org_b,
    kind,
    exported,
):
    before = _sector(kind)

    result = _restore(org_b, exported)

    assert result.problems == []
    for model in (Participant, Trajectory):
        assert model.objects.filter(organisation=org_b).count() == len(PEOPLE)
    assert Measurement.objects.filter(organisation=org_b).count() == 2 * len(PEOPLE)
    copy = Offer.objects.get(organisation=org_b)
    assert (copy.name, copy.intervention_type) == ("Maatjes", kind)
    assert _figures(org_b) == _figures(org_a)
    assert _sector(kind) == [[_twice(month) for month in scope] for scope in before]
    assert result.counts["metingen"]["created"] == 2 * len(PEOPLE)
    assert (
        result.counts["verwijzingen"]["created"]
        == ReferralCount.objects.filter(record__organisation=org_a).count()
    )


def test_restoring_the_same_export_twice_adds_nothing(org_b, exported):
    _restore(org_b, exported)
    first = counts()

    again = _restore(org_b, exported)

    assert again.problems == []
    assert counts() == first
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.counts.values())


@pytest.mark.parametrize(
    ("table", "change", "expected"),
    [
        (
            "metingen",
            lambda t: t.replace(";djg6;", ";onbekend;", 1),
            "metingen.csv: Rij 2, kolom ‘instrument_code’",
        ),
        (
            "activiteiten",
            lambda t: t.replace("2025-04-01", "2025-13-01"),
            "activiteiten.csv: Rij 3, kolom ‘maand’",
        ),
        (
            "signalen",
            lambda t: t.replace(";5\r\n", ";0\r\n"),
            "signalen.csv: Rij 2, kolom ‘aantal’",
        ),
    ],
)
def test_one_bad_row_in_any_table_writes_nothing_and_names_file_row_and_column(
    org_b, exported, table, change, expected
):
    before = counts()
    zipped = _rewritten(exported, table, change)

    result = restore_export(organisation=org_b, file=zipped)

    assert result.problems, "the bad row went unnoticed"
    assert str(result.problems[0]).startswith(expected), str(result.problems[0])
    assert counts() == before
    assert not Offer.objects.filter(organisation=org_b).exists()
    assert not ActivityRecord.objects.filter(organisation=org_b).exists()
    assert not EarlySignalCount.objects.filter(record__organisation=org_b).exists()


def _zip(files: dict[str, str]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    out.seek(0)
    return out


def _without(path: Path, name: str) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.namelist():
            if member != name:
                target.writestr(member, source.read(member))
    out.seek(0)
    return out


def _refusal(file) -> str:
    with pytest.raises(FileProblem) as caught:
        check_archive(file)
    return str(caught.value)


def test_an_empty_file_is_refused_as_empty():
    assert _refusal(io.BytesIO(b"")) == "Het bestand is leeg (0 bytes)."


def test_a_csv_file_is_refused_as_not_a_zip():
    message = _refusal(io.BytesIO(b"aanbod_naam;maand\r\nMaatjes;2025-03\r\n"))
    assert message.startswith("Dit bestand is geen zip-bestand.")
    assert "geen export van Meerwaarde" in message


def test_a_zip_without_kolommen_csv_is_refused(exported):
    assert "kolommen.csv ontbreekt" in _refusal(_without(exported, "kolommen.csv"))


def test_a_zip_without_one_of_the_tables_is_refused_naming_it(exported):
    message = _refusal(_without(exported, "meting_antwoorden.csv"))
    assert "ontbreken in de zip: meting_antwoorden.csv" in message


def test_a_table_with_other_columns_is_refused_naming_them(exported):
    message = _refusal(
        _rewritten(exported, "deelnemers", lambda t: t.replace("gender", "geslacht", 1))
    )
    assert "deelnemers.csv" in message and "ontbrekend: gender" in message
    assert "onverwacht: geslacht" in message


def test_a_workbook_is_refused_with_the_way_to_the_csv_export():
    message = _refusal(_zip({"xl/workbook.xml": "<workbook/>", "[Content_Types].xml": ""}))
    assert "Excel-werkmap" in message


def test_a_zip_that_unpacks_beyond_the_limit_is_refused(settings, exported):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    assert "uitgepakt groter" in _refusal(exported.open("rb"))


def test_a_restore_takes_the_current_version_and_counts_what_it_left_out(
    org_a,
    org_b,
    kind,
    shipped_instruments,
    concepts,  # noqa: F811
):
    offer = OfferFactory(organisation=org_a, name="Maatjes", intervention_type=kind)
    _by_services(org_a, offer, shipped_instruments["djg6-1"], concepts)
    first = Measurement.objects.filter(organisation=org_a, moment="end").order_by("pk").first()
    corrected = measurement_correct(
        measurement=first,
        answers=dict(zip(DJG6, djg6(6), strict=True)),
        measured_on=first.measured_on,
        created_by=None,
    )
    lonely, _new = participant_register(
        organisation=org_a, created_by=None, reference="A-9", age_band="75+"
    )
    trajectory_start(
        organisation=org_a, created_by=None, participant=lonely, offer=offer, start_date=START
    )
    path = export_organisation(organisation=org_a, fmt="csv")

    result = _restore(org_b, path)
    path.unlink()

    assert result.problems == []
    assert result.left_out == {
        "earlier_versions": 1, "gas_without_goal": 0, "trajectories": 1, "participants": 1,
    }  # fmt: skip
    copy = Measurement.objects.get(
        organisation=org_b,
        trajectory__participant__pseudonym=corrected.trajectory.participant.pseudonym,
        moment="end",
    )
    assert copy.answers == corrected.answers and copy.version == 1
