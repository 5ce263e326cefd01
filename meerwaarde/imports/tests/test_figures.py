"""Imported data counts in the figures exactly as the same data entered by hand, and an
organisation's export imported into an empty organisation gives the same figures.

The export writes one file per table (participants, trajectories, measurements, answers,
activity months, their referrals and early signals); the import reads one flat table per
kind. ``_flat_from_export`` joins them as a user would in a spreadsheet; the round trip
therefore tests the column names and values. The one-step restore of an export
(``imports/restore.py``) does the same join itself: ``test_restore.py``. Activity figures
are compared as the dashboard reads them (the records) and as the sector figures do (the
running totals, which count both organisations).
"""

import csv
import dataclasses
import datetime
import io
import zipfile
from collections import defaultdict
from decimal import Decimal

import pytest

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.selectors import MonthTotals, activity_totals_for_scope
from meerwaarde.activities.services import activity_record_save
from meerwaarde.activities.tests.factories import ReferralSourceFactory, ThemeFactory
from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.exports.services import export_organisation
from meerwaarde.imports.engine import import_table
from meerwaarde.imports.fields import ImportKind
from meerwaarde.imports.reading import open_table
from meerwaarde.measurements.models import Measurement
from meerwaarde.measurements.services import measurement_record
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory
from meerwaarde.participants.models import Participant, Trajectory
from meerwaarde.participants.services import participant_register, trajectory_start

from .engine_helpers import DJG6, END_ON, INTAKE_ON, START, djg6, identity

pytestmark = pytest.mark.django_db

# (reference, total at intake, total at the end, moment of the second measurement)
PEOPLE = [
    ("A-1", 5, 2, "end"),
    ("A-2", 4, 4, "end"),
    ("A-3", 6, 1, "end"),
    ("A-4", 3, 0, "end"),
    ("A-5", 2, 3, "interim"),
]
MONTHS = [
    (datetime.date(2025, 3, 1), 12, 40, 5, 3, Decimal("20.5")),
    (datetime.date(2025, 4, 1), 9, 31, 2, 2, Decimal("7")),
]
# Per month: referrals (direction, source code, count) and early signals (theme code, count).
REFERRALS = {
    MONTHS[0][0]: [("in", "verwijzer-huisarts", 4), ("in", "verwijzer-wijkteam", 2),
                   ("out", "verwijzer-wijkteam", 1)],
    MONTHS[1][0]: [("out", "verwijzer-huisarts", 3)],
}  # fmt: skip
SIGNALS = {MONTHS[0][0]: [("thema-eenzaamheid", 5)], MONTHS[1][0]: [("thema-armoede", 2)]}
PERIOD = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 1)}


@pytest.fixture
def kind():
    return InterventionTypeFactory()


@pytest.fixture
def concepts(db):
    """The referral sources and themes the months count, by code."""
    found = {
        code: ReferralSourceFactory(code=code, pref_label_nl=code.split("-")[1].title())
        for code in ("verwijzer-huisarts", "verwijzer-wijkteam")
    }
    found.update(
        {
            code: ThemeFactory(code=code, pref_label_nl=code.split("-")[1].title())
            for code in ("thema-eenzaamheid", "thema-armoede")
        }
    )
    return found


def _counts_of(month, concepts):
    referrals = {
        direction: {
            concepts[code]: count for way, code, count in REFERRALS[month] if way == direction
        }
        for direction in ReferralDirection.values
    }
    signals = {concepts[code]: count for code, count in SIGNALS[month]}
    return referrals[ReferralDirection.IN], referrals[ReferralDirection.OUT], signals


def _by_services(org, offer, instrument, concepts):
    for reference, intake, end, moment in PEOPLE:
        participant, _new = participant_register(
            organisation=org, created_by=None, reference=reference, age_band="65-74"
        )
        trajectory = trajectory_start(
            organisation=org,
            created_by=None,
            participant=participant,
            offer=offer,
            start_date=START,
        )
        for on, at, total in ((INTAKE_ON, "intake", intake), (END_ON, moment, end)):
            measurement_record(
                trajectory=trajectory,
                instrument=instrument,
                moment=at,
                measured_on=on,
                answers=dict(zip(DJG6, djg6(total), strict=True)),
                created_by=None,
            )
    for month, meetings, reached, new, volunteers, hours in MONTHS:
        referrals_in, referrals_out, signals = _counts_of(month, concepts)
        activity_record_save(
            organisation=org,
            offer=offer,
            month=month,
            recorded_by=None,
            meetings_held=meetings,
            participants_reached=reached,
            new_participants=new,
            active_volunteers=volunteers,
            volunteer_hours=hours,
            referrals_in=referrals_in,
            referrals_out=referrals_out,
            early_signals=signals,
        )


def _import_csv(org, kind, header, rows):
    text = "\r\n".join(";".join(row) for row in [header, *rows]) + "\r\n"
    with open_table(io.BytesIO(text.encode()), filename="x.csv") as table:
        result = import_table(
            organisation=org,
            kind=kind,
            table=table,
            column_map=identity(header),
            on_error="all_or_nothing",
            dry_run=False,
        )
    assert result.problems == []
    return result


def _figures(org):
    figures = analysis_figures(selection=Selection(organisation=org, **PERIOD))
    assert figures.instruments, "no outcome figures: the comparison would prove nothing"
    counted = [m for m in figures.activity if m.referrals_in and m.referrals_out]
    assert counted and any(m.early_signals for m in figures.activity), "no referrals or signals"
    return figures.instruments, figures.activity


def _sector(kind) -> list[list[MonthTotals]]:
    """The running totals the sector figures read: of the intervention type, and of all."""
    return [activity_totals_for_scope(intervention_type=scope, **PERIOD) for scope in (kind, None)]


def _twice(month: MonthTotals) -> MonthTotals:
    """The month's totals when a second organisation counted exactly the same."""
    changes = {}
    for name in (f.name for f in dataclasses.fields(month) if f.name != "month"):
        value = getattr(month, name)
        changes[name] = (
            {k: 2 * v for k, v in value.items()} if isinstance(value, dict) else 2 * value
        )
    return dataclasses.replace(month, **changes)


def _referral_and_signal_files():
    """The months' referrals and signals as files of the kinds verwijzingen and signalen."""
    referrals = [
        ["Maatjes", month.strftime("%d-%m-%Y"), direction, code, str(count)]
        for month, rows in REFERRALS.items()
        for direction, code, count in rows
    ]
    signals = [
        ["Maatjes", month.strftime("%m-%Y"), code, str(count)]
        for month, rows in SIGNALS.items()
        for code, count in rows
    ]
    return {
        ImportKind.REFERRALS: (
            ["aanbod_naam", "maand", "richting", "verwijzer", "aantal"],
            referrals,
        ),
        ImportKind.SIGNALS: (["aanbod_naam", "maand", "thema", "aantal"], signals),
    }


def test_imported_data_gives_the_figures_of_the_same_data_entered_by_hand(
    org_a, org_b, kind, shipped_instruments, concepts
):
    _by_services(
        org_a,
        OfferFactory(organisation=org_a, name="Maatjes", intervention_type=kind),
        shipped_instruments["djg6-1"],
        concepts,
    )
    by_hand = _sector(kind)
    OfferFactory(organisation=org_b, name="Maatjes", intervention_type=kind)
    header = [
        "clientnummer",
        "aanbod_naam",
        "startdatum",
        "leeftijdsgroep",
        "instrument_code",
        "moment",
        "datum",
        *DJG6,
    ]
    rows = []
    for reference, intake, end, moment in PEOPLE:
        for on, at, total in ((INTAKE_ON, "intake", intake), (END_ON, moment, end)):
            rows.append(
                [
                    reference,
                    "Maatjes",
                    START.isoformat(),
                    "65-74",
                    "djg6",
                    at,
                    on.strftime("%d-%m-%Y"),
                    *djg6(total),
                ]
            )
    _import_csv(org_b, ImportKind.MEASUREMENTS, header, rows)
    _import_csv(
        org_b,
        ImportKind.ACTIVITIES,
        [
            "aanbod_naam",
            "maand",
            "bijeenkomsten",
            "deelnemers_bereikt",
            "nieuwe_deelnemers",
            "actieve_vrijwilligers",
            "uren_vrijwilligers",
        ],
        [
            [
                "Maatjes",
                m.strftime("%m-%Y"),
                str(a),
                str(b),
                str(c),
                str(d),
                str(h).replace(".", ","),
            ]
            for m, a, b, c, d, h in MONTHS
        ],
    )
    for import_kind, (header, rows) in _referral_and_signal_files().items():
        _import_csv(org_b, import_kind, header, rows)

    assert _figures(org_b) == _figures(org_a)
    assert _sector(kind) == [[_twice(month) for month in scope] for scope in by_hand]


def _read_zip(path) -> dict[str, list[dict[str, str]]]:
    files = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig")
            files[name] = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    return files


def _flat_from_export(files):
    """The export's split tables joined into the import's flat tables, as (header, rows)."""
    offers = {row["aanbod_id"]: row for row in files["aanbod.csv"]}
    places = {}
    for row in files["aanbod_locaties.csv"]:
        places.setdefault(row["aanbod_id"], row["plaats_geonameid"])
    offer_header = [
        "aanbod_naam",
        "soort_interventie",
        "beschrijving",
        "themas",
        "doelgroepen",
        "plaats_geonameid",
    ]
    offer_rows = [[*(row[c] for c in offer_header[:-1]), places[pk]] for pk, row in offers.items()]

    people = {row["pseudoniem"]: row for row in files["deelnemers.csv"]}
    trajectories = {row["traject_id"]: row for row in files["trajecten.csv"]}
    answers = defaultdict(dict)
    for row in files["meting_antwoorden.csv"]:
        answers[row["meting_id"]][row["vraag"]] = row["antwoord"]
    items = sorted({code for given in answers.values() for code in given})
    header = [
        "pseudoniem",
        "aanbod_naam",
        "startdatum",
        "einddatum",
        "status",
        "leeftijdsgroep",
        "gender",
        "instrument_code",
        "instrument_versie",
        "moment",
        "datum",
        *items,
    ]
    rows = []
    for row in files["metingen.csv"]:
        if row["huidig"] != "ja":
            continue  # a corrected version: only the current one counts
        trajectory = trajectories[row["traject_id"]]
        person = people[trajectory["pseudoniem"]]
        rows.append(
            [
                trajectory["pseudoniem"],
                offers[trajectory["aanbod_id"]]["aanbod_naam"],
                trajectory["startdatum"],
                trajectory["einddatum"],
                trajectory["status"],
                person["leeftijdsgroep"],
                person["gender"],
                row["instrument_code"],
                row["instrument_versie"],
                row["moment"],
                row["datum"],
                *(answers[row["meting_id"]].get(code, "") for code in items),
            ]
        )
    activity_header = [
        "aanbod_naam",
        "maand",
        "bijeenkomsten",
        "deelnemers_bereikt",
        "nieuwe_deelnemers",
        "actieve_vrijwilligers",
        "uren_vrijwilligers",
    ]
    activity_rows = [
        [offers[row["aanbod_id"]]["aanbod_naam"], *(row[c] for c in activity_header[1:])]
        for row in files["activiteiten.csv"]
    ]
    referral_header = ["aanbod_naam", "maand", "richting", "verwijzer", "aantal"]
    referral_rows = [
        [offers[row["aanbod_id"]]["aanbod_naam"], *(row[c] for c in referral_header[1:])]
        for row in files["verwijzingen.csv"]
    ]
    signal_header = ["aanbod_naam", "maand", "thema", "aantal"]
    signal_rows = [
        [offers[row["aanbod_id"]]["aanbod_naam"], *(row[c] for c in signal_header[1:])]
        for row in files["signalen.csv"]
    ]
    return {
        ImportKind.OFFERS: (offer_header, offer_rows),
        ImportKind.MEASUREMENTS: (header, rows),
        ImportKind.ACTIVITIES: (activity_header, activity_rows),
        ImportKind.REFERRALS: (referral_header, referral_rows),
        ImportKind.SIGNALS: (signal_header, signal_rows),
    }


def test_an_export_imported_into_an_empty_organisation_gives_the_same_figures(
    org_a, org_b, kind, shipped_instruments, concepts
):
    offer = OfferFactory(organisation=org_a, name="Maatjes", intervention_type=kind)
    _by_services(org_a, offer, shipped_instruments["djg6-1"], concepts)
    exported = _sector(kind)
    path = export_organisation(organisation=org_a, fmt="csv")
    flat = _flat_from_export(_read_zip(path))

    # In this order: a referral or signal needs its month, a month its offer.
    for import_kind in (
        ImportKind.OFFERS,
        ImportKind.MEASUREMENTS,
        ImportKind.ACTIVITIES,
        ImportKind.REFERRALS,
        ImportKind.SIGNALS,
    ):
        _import_csv(org_b, import_kind, *flat[import_kind])

    for model in (Participant, Trajectory, Measurement):
        assert model.objects.filter(organisation=org_b).count() == len(PEOPLE) * (
            2 if model is Measurement else 1
        )
    copy = Offer.objects.get(organisation=org_b)
    assert (copy.name, copy.intervention_type) == ("Maatjes", kind)
    assert _figures(org_b) == _figures(org_a)
    assert _sector(kind) == [[_twice(month) for month in scope] for scope in exported]
