"""Restoring what no import kind holds: an organisation's own instruments (one switched off)
and its offers in full (archived, paused, a deprecated theme, every field and location). The
round trip gives the same figures and the same offers; twice adds nothing; an own instrument
whose code and version the organisation has with another definition writes nothing."""

import dataclasses
import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.exports.services import export_organisation
from meerwaarde.imports.restore import restore_export
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.services import (
    instrument_create,
    instrument_deactivate,
    instrument_restore,
)
from meerwaarde.instruments.tests.factories import wellbeing
from meerwaarde.measurements.services import measurement_record
from meerwaarde.offers.constants import Access, Cost, EvidenceLevel, OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.offers.services import (
    LocationInput,
    offer_archive,
    offer_create,
    offer_pause,
    offer_places_update,
)
from meerwaarde.participants.services import participant_register, trajectory_start
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.services import concept_deprecate
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory

from .engine_helpers import END_ON, INTAKE_ON, START, counts
from .test_restore import _rewritten

pytestmark = pytest.mark.django_db

PERIOD = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 1)}
CONFIRMED = datetime.date(2025, 2, 3)
# Per person: the answers (v1, v2, v3) at intake and at the end, on each own instrument.
PEOPLE = [
    ("B-1", ("2", "4", "2"), ("4", "2", "4")),
    ("B-2", ("1", "5", "1"), ("3", "3", "3")),
    ("B-3", ("3", "3", "3"), ("3", "2", "4")),
]


def _concepts():
    def scheme(code):
        return ConceptSchemeFactory(code=code)

    found = {
        "kind": ConceptFactory(scheme=scheme("intervention_types"), code="interventie-maatjes"),
        "shelter": ConceptFactory(
            scheme=scheme("intervention_types"), code="interventie-nachtopvang"
        ),
        "old_theme": ConceptFactory(scheme=scheme("themes"), code="thema-oud"),
        "new_theme": ConceptFactory(scheme=scheme("themes"), code="thema-nieuw"),
        "group": ConceptFactory(scheme=scheme("target_groups"), code="doelgroep-ouderen"),
        "element": ConceptFactory(scheme=scheme("working_elements"), code="element-contact"),
    }
    ConceptFactory(scheme=scheme("outcome_domains"), code="domein-geestelijke-gezondheid")
    return found


@pytest.fixture(name="concepts")
def concepts_fixture(db):
    return _concepts()


def _offers(org, concepts):
    """An offer with every field filled in, two locations and a deprecated theme (archived
    once its measurements are in), and a paused shelter with free places."""
    here, there = PlaceFactory(name="Deventer"), PlaceFactory(name="Zutphen", latitude=52.14)
    maatjes = offer_create(
        organisation=org,
        created_by=None,
        today=CONFIRMED,
        name="Maatjes",
        intervention_type=concepts["kind"],
        description="Een vrijwilliger komt wekelijks op bezoek.",
        themes=[concepts["old_theme"], concepts["new_theme"]],
        target_groups=[concepts["group"]],
        working_elements=[concepts["element"]],
        age_min=55,
        age_max=99,
        cost=Cost.CONTRIBUTION,
        cost_amount=Decimal("12.50"),
        cost_note="Per kwartaal.",
        access=Access.REFERRAL,
        referral_note="Huisarts of wijkteam.",
        sign_up="Bel ons.",
        phone="0570 123 456",
        email="maatjes@example.org",
        website="https://example.org/maatjes",
        schedule="Dinsdag en donderdag.",
        languages=["nl", "en"],
        accessibility="partly",
        accessibility_note="Drempel bij de ingang.",
        evidence_level=EvidenceLevel.WELL_DESCRIBED,
        evidence_assessed_on=datetime.date(2024, 11, 1),
        locations=[
            LocationInput(place=here, name="Buurthuis", address="Brink 1", postcode="7411BR"),
            LocationInput(place=there, name="Bibliotheek"),
        ],
    )
    shelter = offer_create(
        organisation=org,
        created_by=None,
        today=CONFIRMED,
        name="Nachtopvang",
        intervention_type=concepts["shelter"],
        description="Een bed voor de nacht.",
        locations=[LocationInput(place=here)],
    )
    offer_places_update(
        offer=shelter,
        places_available=3,
        now=datetime.datetime(2025, 5, 6, 7, 8, 9, tzinfo=datetime.UTC),
    )
    offer_pause(offer=shelter)
    return maatjes


def _measured(org, offer, instruments):
    for reference, intake, end in PEOPLE:
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
        for instrument in instruments:
            for on, moment, answers in ((INTAKE_ON, "intake", intake), (END_ON, "end", end)):
                measurement_record(
                    trajectory=trajectory,
                    instrument=instrument,
                    moment=moment,
                    measured_on=on,
                    answers=dict(zip(("v1", "v2", "v3"), answers, strict=True)),
                    created_by=None,
                )


@pytest.fixture(name="exported")
def exported_fixture(org_a, concepts):
    own = instrument_create(organisation=org_a, definition=wellbeing())
    old = instrument_create(organisation=org_a, definition=wellbeing(name="Welzijn oud"))
    maatjes = _offers(org_a, concepts)
    _measured(org_a, maatjes, [own, old])
    instrument_deactivate(instrument=old)
    offer_archive(offer=maatjes)
    concept_deprecate(
        concept=concepts["old_theme"], replaced_by=concepts["new_theme"], changed_by=None
    )
    path = export_organisation(organisation=org_a, fmt="csv")
    yield path
    path.unlink(missing_ok=True)


def _restore(org, path: Path):
    with path.open("rb") as file:
        return restore_export(organisation=org, file=file)


def _figures(org, **selection):
    """The outcome figures per own instrument, by code: its id differs per organisation."""
    figures = analysis_figures(selection=Selection(organisation=org, **PERIOD, **selection))
    return {
        (found.code, found.version): dataclasses.replace(found, instrument_id=0)
        for found in figures.instruments
    }


def _offer(org, name):
    offer = Offer.objects.get(organisation=org, name=name)
    skip = {"id", "organisation", "created_by", "created_at", "updated_at", "intervention_type"}
    fields = {
        f.name: getattr(offer, f.name) for f in Offer._meta.concrete_fields if f.name not in skip
    }
    fields["intervention_type"] = offer.intervention_type.code
    for name in ("themes", "target_groups", "working_elements"):
        fields[name] = sorted(getattr(offer, name).values_list("code", flat=True))
    fields["locations"] = list(
        offer.locations.order_by("position").values_list(
            "place__geonameid", "name", "address", "postcode", "latitude", "longitude", "position"
        )
    )
    return fields


def _own_instruments(org):
    return list(
        Instrument.objects.filter(organisation=org)
        .order_by("code")
        .values_list("code", "version", "name", "is_active", "definition")
    )


def test_a_restore_brings_back_own_instruments_and_offers_with_the_same_figures(
    org_a, org_b, concepts, exported
):
    result = _restore(org_b, exported)

    assert result.problems == []
    assert _own_instruments(org_b) == _own_instruments(org_a)
    assert [active for _c, _v, _n, active, _d in _own_instruments(org_b)] == [True, False]
    for name in ("Maatjes", "Nachtopvang"):
        assert _offer(org_b, name) == _offer(org_a, name)
    maatjes = _offer(org_b, "Maatjes")
    assert maatjes["status"] == OfferStatus.ARCHIVED
    assert maatjes["themes"] == ["thema-nieuw", "thema-oud"]
    assert maatjes["last_confirmed_on"] == CONFIRMED
    assert (
        _offer(org_b, "Nachtopvang")["status"],
        _offer(org_b, "Nachtopvang")["places_available"],
    ) == (
        OfferStatus.PAUSED,
        3,
    )
    before = _figures(org_a)
    assert sorted(before) == [("eigen-welbevinden", "1"), ("eigen-welzijn-oud", "1")]
    assert all(f.scales[0].result.n == len(PEOPLE) for f in before.values())
    assert _figures(org_b) == before
    for selection in ({"theme": concepts["old_theme"]}, {"target_group": concepts["group"]}):
        assert _figures(org_a, **selection) == before
        assert _figures(org_b, **selection) == before
    assert result.counts["instrumenten"]["created"] == 2
    assert result.counts["aanbod"]["created"] == 2
    assert result.counts["metingen"]["created"] == 4 * len(PEOPLE)


def test_restoring_own_instruments_and_offers_twice_adds_nothing(org_b, exported):
    _restore(org_b, exported)
    first, instruments = counts(), _own_instruments(org_b)

    again = _restore(org_b, exported)

    assert again.problems == []
    assert counts() == first
    assert _own_instruments(org_b) == instruments
    assert again.counts["instrumenten"]["already_present"] == 2
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.counts.values())


def test_an_own_instrument_with_another_definition_here_writes_nothing_and_names_the_row(
    org_b, exported
):
    instrument_restore(organisation=org_b, definition=wellbeing(description="Anders."))
    before = counts()

    result = _restore(org_b, exported)

    assert result.problems
    problem = str(result.problems[0])
    assert problem.startswith("instrumenten.csv: Rij 2, kolom ‘definitie’"), problem
    assert "‘eigen-welbevinden’ versie 1 bestaat al" in problem
    assert counts() == before
    assert Instrument.objects.filter(organisation=org_b).count() == 1
    assert not Offer.objects.filter(organisation=org_b).exists()


@pytest.mark.parametrize(
    ("table", "change", "expected"),
    [
        (
            "aanbod_locaties",
            lambda t: re.sub(r"^(\d+);\d+;", r"\1;1;", t, count=1, flags=re.M),
            "aanbod_locaties.csv: Rij 2, kolom ‘plaats_geonameid’: Onbekend GeoNames-nummer.",
        ),
        (
            "aanbod",
            lambda t: t.replace(";archived;", ";verdwenen;", 1),
            "aanbod.csv: Rij 2, kolom ‘status’: Onbekende status ‘verdwenen’.",
        ),
        (
            "aanbod",
            lambda t: t.replace(";thema-nieuw, thema-oud;", ";thema-onbekend;", 1),
            "aanbod.csv: Rij 2, kolom ‘themas’: ‘thema-onbekend’ staat niet in de woordenlijst.",
        ),
    ],
)
def test_a_bad_offer_or_location_writes_nothing_and_names_file_row_and_column(
    org_b, exported, table, change, expected
):
    before = counts()

    result = restore_export(organisation=org_b, file=_rewritten(exported, table, change))

    assert [str(problem) for problem in result.problems] == [expected]
    assert counts() == before
    assert not Instrument.objects.filter(organisation=org_b).exists()
