"""The import of referral and early-signal counts per month: through the activities'
service (its concept rules, running totals and figures' stamp), with natural keys, Dutch
problems per row and column, all-or-nothing or skipping bad rows."""

import csv
import datetime
import io

import pytest

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.selectors import activity_totals, activity_totals_for_scope
from meerwaarde.activities.services import activity_record_save
from meerwaarde.activities.tests.factories import (
    ReferralCountFactory,
    ThemeFactory,
)
from meerwaarde.imports.engine import import_table, skipped_rows_file
from meerwaarde.imports.fields import ImportKind
from meerwaarde.imports.models import ConceptMapping
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory

from .engine_helpers import counts, csv_table, identity

pytestmark = pytest.mark.django_db

REFERRAL_HEADER = ["aanbod_naam", "maand", "richting", "verwijzer", "aantal"]
SIGNAL_HEADER = ["aanbod_naam", "maand", "thema", "aantal"]
MARCH = datetime.date(2025, 3, 1)


def _import(org, kind, header, lines, **kwargs):
    with csv_table([header, *lines]) as table:
        return import_table(
            organisation=org,
            kind=kind,
            table=table,
            column_map=kwargs.pop("column_map", identity(header)),
            on_error=kwargs.pop("on_error", "all_or_nothing"),
            dry_run=kwargs.pop("dry_run", False),
            **kwargs,
        )


@pytest.fixture
def kind():
    return InterventionTypeFactory()


@pytest.fixture
def offer(org_a, kind):
    return OfferFactory(organisation=org_a, name="Buurtkamer", intervention_type=kind)


def _month(org, offer: Offer, month: datetime.date) -> ActivityRecord:
    return activity_record_save(
        organisation=org,
        offer=offer,
        month=month,
        recorded_by=None,
        meetings_held=8,
        participants_reached=30,
        new_participants=4,
        active_volunteers=2,
        volunteer_hours=6,
        referrals_in={},
        referrals_out={},
        early_signals={},
    )


@pytest.fixture
def march(org_a, offer):
    return _month(org_a, offer, MARCH)


@pytest.fixture
def themes():
    return {
        key: ThemeFactory(code=f"thema-{key}", pref_label_nl=label)
        for key, label in [("eenzaamheid", "Eenzaamheid"), ("armoede", "Armoede en schulden")]
    }


def _scope_march(kind):
    return activity_totals_for_scope(intervention_type=kind, start=MARCH, end=MARCH)[0]


def _offer_march(offer):
    return activity_totals(offers=Offer.objects.filter(pk=offer.pk), start=MARCH, end=MARCH)[0]


# Referrals ----------------------------------------------------------------------------


def test_it_imports_referrals_into_the_month_and_its_running_totals(
    org_a, offer, kind, march, sources
):
    before = counts()
    lines = [
        ["Buurtkamer", "01-03-2025", "in", "verwijzer-huisarts", "4"],
        ["Buurtkamer", "2025-03-01", "out", "Wijkteam", "2"],
        ["Buurtkamer", "03-2025", "Verwezen naar ons", "verwijzer-wijkteam", "1"],
    ]

    result = _import(org_a, ImportKind.REFERRALS, REFERRAL_HEADER, lines)

    assert (result.created, result.problems) == (3, [])
    expected = ({"verwijzer-huisarts": 4, "verwijzer-wijkteam": 1}, {"verwijzer-wijkteam": 2})
    for totals in (_offer_march(offer), _scope_march(kind)):
        assert (totals.referrals_in, totals.referrals_out) == expected
    march.refresh_from_db()
    assert (march.meetings_held, march.participants_reached) == (8, 30)
    assert counts()["stamp"] != before["stamp"]


def test_referrals_imported_twice_are_already_there(org_a, march, sources):
    lines = [
        ["Buurtkamer", "03-2025", "in", "verwijzer-huisarts", "4"],
        ["Buurtkamer", "03-2025", "out", "verwijzer-politie", "1"],
    ]
    _import(org_a, ImportKind.REFERRALS, REFERRAL_HEADER, lines)
    before = counts()

    again = _import(org_a, ImportKind.REFERRALS, REFERRAL_HEADER, lines)

    assert (again.created, again.updated, again.already_present) == (0, 0, 2)
    assert counts() == before


def test_another_count_replaces_the_referral_and_keeps_the_rest_of_the_month(
    org_a, offer, kind, march, sources
):
    _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [
            ["Buurtkamer", "03-2025", "in", "verwijzer-huisarts", "4"],
            ["Buurtkamer", "03-2025", "in", "verwijzer-wijkteam", "2"],
        ],
    )

    again = _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [["Buurtkamer", "03-2025", "in", "verwijzer-huisarts", "6"]],
    )

    assert (again.updated, again.created, again.problems) == (1, 0, [])
    expected = {"verwijzer-huisarts": 6, "verwijzer-wijkteam": 2}
    assert _offer_march(offer).referrals_in == _scope_march(kind).referrals_in == expected
    assert _scope_march(kind).meetings_held == 8


def test_a_local_name_mapped_to_a_referral_source_finds_it(org_a, march, sources):
    ConceptMapping.objects.create(
        organisation=org_a,
        scheme="referral_sources",
        local_name="Dokter",
        concept=sources["huisarts"],
    )

    result = _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [["Buurtkamer", "03-2025", "in", "dokter", "3"]],
    )

    assert result.created == 1
    assert march.referrals.get().source == sources["huisarts"]


def test_a_source_no_longer_accepted_stays_in_a_month_that_counted_it(org_a, march, sources):
    ReferralCountFactory(record=march, source=sources["oud"], count=2)

    same = _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [["Buurtkamer", "03-2025", "in", "verwijzer-oud", "2"]],
    )
    changed = _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [["Buurtkamer", "03-2025", "in", "verwijzer-oud", "3"]],
    )

    assert (same.already_present, same.problems) == (1, [])
    assert (changed.updated, changed.problems) == (1, [])
    assert march.referrals.get().count == 3


BAD_REFERRALS = [
    (["Onbekend", "03-2025", "in", "verwijzer-huisarts", "1"], "aanbod_naam", "Onbekend aanbod"),
    (
        ["Buurtkamer", "03-2025", "in", "verwijzer-bestaat-niet", "1"],
        "verwijzer",
        "staat niet in de woordenlijst",
    ),
    (["Buurtkamer", "03-2025", "in", "verwijzer-wijkteam", "0"], "aantal", "van 1 tot en met"),
    (["Buurtkamer", "03-2025", "in", "verwijzer-politie", "-2"], "aantal", "van 1 tot en met"),
    (
        ["Buurtkamer", "31-02-2025", "in", "verwijzer-huisarts", "1"],
        "maand",
        "geen bestaande datum",
    ),
    (
        ["Buurtkamer", "03-2025", "zijwaarts", "verwijzer-huisarts", "1"],
        "richting",
        "geen geldige waarde",
    ),
    (
        ["Buurtkamer", "03-2025", "out", "verwijzer-eigen-initiatief", "1"],
        "verwijzer",
        "kan niemand worden doorverwezen",
    ),
    (
        ["Buurtkamer", "03-2025", "in", "verwijzer-oud", "1"],
        "verwijzer",
        "geen vastgesteld begrip",
    ),
    (
        ["Buurtkamer", "04-2025", "in", "verwijzer-huisarts", "1"],
        "maand",
        "staat nog niet in Meerwaarde",
    ),
]
GOOD_REFERRAL = ["Buurtkamer", "03-2025", "in", "verwijzer-huisarts", "2"]
# The same source again, by its label: the row of GOOD_REFERRAL is named.
TWICE = (["Buurtkamer", "03-2025", "in", "Huisarts", "3"], "verwijzer", "ook in rij 11")


def _bad_file():
    return [*(line for line, _c, _m in BAD_REFERRALS), GOOD_REFERRAL, TWICE[0]]


def test_every_bad_referral_row_is_named_and_nothing_is_written(org_a, march, sources):
    before = counts()

    result = _import(org_a, ImportKind.REFERRALS, REFERRAL_HEADER, _bad_file())

    expected = [(n, c, m) for n, (_l, c, m) in enumerate(BAD_REFERRALS, start=2)]
    expected.append((12, TWICE[1], TWICE[2]))
    assert [(p.row, p.column) for p in result.problems] == [(r, c) for r, c, _m in expected]
    for problem, (_row, _column, words) in zip(result.problems, expected, strict=True):
        assert words in problem.message
    assert not result.written
    assert counts() == before


def test_skipping_bad_referral_rows_writes_the_good_one_and_gives_the_rest_back(
    org_a, offer, march, sources
):
    result = _import(org_a, ImportKind.REFERRALS, REFERRAL_HEADER, _bad_file(), on_error="skip")

    assert (result.created, result.skipped, result.written) == (1, 10, True)
    assert _offer_march(offer).referrals_in == {"verwijzer-huisarts": 2}
    text = skipped_rows_file(result).decode("utf-8-sig")
    given_back = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert given_back[0] == [*REFERRAL_HEADER, "rij", "reden"]
    assert [line[-2] for line in given_back[1:]] == [*(str(n) for n in range(2, 11)), "12"]
    assert given_back[7][:5] == BAD_REFERRALS[6][0]
    assert "kan niemand worden doorverwezen" in given_back[7][-1]


def test_a_dry_run_of_referrals_writes_nothing(org_a, march, sources):
    before = counts()

    result = _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [["Buurtkamer", "03-2025", "in", "verwijzer-huisarts", "2"]],
        dry_run=True,
    )

    assert (result.created, result.written) == (1, False)
    assert counts() == before


def test_a_referral_for_another_organisations_offer_is_refused(org_a, org_b, kind, sources):
    other = OfferFactory(organisation=org_b, name="Inloop Beta", intervention_type=kind)
    _month(org_b, other, MARCH)
    before = counts()

    result = _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [["Inloop Beta", "03-2025", "in", "verwijzer-huisarts", "1"]],
    )

    assert [(p.row, p.column) for p in result.problems] == [(2, "aanbod_naam")]
    assert counts() == before


# Early signals ------------------------------------------------------------------------


def test_it_imports_early_signals_once(org_a, offer, kind, march, themes):
    lines = [
        ["Buurtkamer", "01-03-2025", "thema-eenzaamheid", "5"],
        ["Buurtkamer", "03-2025", "Armoede en schulden", "2"],
    ]

    first = _import(org_a, ImportKind.SIGNALS, SIGNAL_HEADER, lines)
    before = counts()
    again = _import(org_a, ImportKind.SIGNALS, SIGNAL_HEADER, lines)

    assert (first.created, first.problems) == (2, [])
    assert (again.created, again.already_present) == (0, 2)
    assert counts() == before
    expected = {"thema-eenzaamheid": 5, "thema-armoede": 2}
    assert _offer_march(offer).early_signals == _scope_march(kind).early_signals == expected


def test_signals_and_referrals_of_one_month_leave_each_other_alone(
    org_a, offer, march, sources, themes
):
    _import(
        org_a,
        ImportKind.REFERRALS,
        REFERRAL_HEADER,
        [["Buurtkamer", "03-2025", "in", "verwijzer-huisarts", "4"]],
    )

    _import(
        org_a, ImportKind.SIGNALS, SIGNAL_HEADER, [["Buurtkamer", "03-2025", "thema-armoede", "1"]]
    )

    totals = _offer_march(offer)
    assert (totals.referrals_in, totals.early_signals) == (
        {"verwijzer-huisarts": 4},
        {"thema-armoede": 1},
    )
    assert march.referrals.get().direction == ReferralDirection.IN


def test_every_bad_signal_row_is_named(org_a, march, sources, themes):
    lines = [
        ["Buurtkamer", "03-2025", "thema-onbekend", "1"],
        ["Buurtkamer", "03-2025", "verwijzer-huisarts", "1"],  # a source is no theme
        ["Buurtkamer", "03-2025", "thema-eenzaamheid", "0"],
        ["Buurtkamer", "maart", "thema-eenzaamheid", "1"],
        ["Buurtkamer", "05-2025", "thema-eenzaamheid", "1"],
        ["Buurtkamer", "03-2025", "thema-armoede", "1"],
        ["Buurtkamer", "03-2025", "Armoede en schulden", "1"],
    ]
    before = counts()

    result = _import(org_a, ImportKind.SIGNALS, SIGNAL_HEADER, lines)

    assert [(p.row, p.column) for p in result.problems] == [
        (2, "thema"),
        (3, "thema"),
        (4, "aantal"),
        (5, "maand"),
        (6, "maand"),
        (8, "thema"),
    ]
    assert "ook in rij 7" in result.problems[-1].message
    assert counts() == before


def test_a_missing_count_column_is_refused_before_reading(org_a, march, themes):
    result = _import(
        org_a, ImportKind.SIGNALS, SIGNAL_HEADER[:3], [["Buurtkamer", "03-2025", "thema-armoede"]]
    )

    assert result.read == 0
    assert [p.column for p in result.problems] == ["Aantal signalen"]
