"""The offer services: every rule a Dutch message on its field, and a signal after every write."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from meerwaarde.offers import services
from meerwaarde.offers.constants import Cost, EvidenceLevel, Language, OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.offers.services import LocationInput
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.services import concept_deprecate

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def _create(org, **fields):
    return services.offer_create(organisation=org, created_by=None, today=TODAY, **fields)


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_creates_an_active_offer_confirmed_today_with_its_locations_and_concepts(
    org_a, alice, offer_fields, zwolle, concepts
):
    offer = services.offer_create(organisation=org_a, created_by=alice, today=TODAY, **offer_fields)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACTIVE
    assert offer.last_confirmed_on == TODAY
    assert offer.created_by == alice
    assert list(offer.themes.all()) == [concepts["eenzaamheid"]]
    assert list(offer.target_groups.all()) == [concepts["ouderen"]]
    assert list(offer.working_elements.all()) == [concepts["relatie"]]
    location = offer.locations.get()
    assert location.name == "Buurthuis De Boog"
    assert (location.latitude, location.longitude) == (zwolle.latitude, zwolle.longitude)


def test_it_requires_name_description_and_intervention_type(org_a, offer_fields):
    offer_fields.update(name="  ", description="", intervention_type=None)
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert {"name", "description", "intervention_type"} <= set(_errors(excinfo))


def test_it_requires_at_least_one_location(org_a, offer_fields):
    offer_fields["locations"] = []
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert _errors(excinfo)["locations"] == ["Geef minstens één locatie of plaats op."]
    assert not Offer.objects.exists()


def test_it_normalises_a_postcode_and_refuses_a_foreign_one(org_a, offer_fields, zwolle):
    offer_fields["locations"] = [LocationInput(place=zwolle, postcode="8011ab")]
    assert _create(org_a, **offer_fields).locations.get().postcode == "8011 AB"
    offer_fields["locations"] = [LocationInput(place=zwolle, postcode="B-1000")]
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "postcode" in _errors(excinfo)["locations"][0]


def test_it_copies_each_locations_coordinates_from_its_place(org_a, offer_fields, zwolle):
    kampen = PlaceFactory(name="Kampen", latitude=52.555, longitude=5.911)
    offer_fields["locations"] = [LocationInput(place=zwolle), LocationInput(place=kampen)]
    rows = list(_create(org_a, **offer_fields).locations.values_list("latitude", "position"))
    assert rows == [(zwolle.latitude, 0), (52.555, 1)]


def test_it_refuses_an_age_range_that_runs_backwards(org_a, offer_fields):
    offer_fields.update(age_min=65, age_max=18)
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "lager" in _errors(excinfo)["age_max"][0]


def test_it_refuses_an_age_above_120(org_a, offer_fields):
    offer_fields.update(age_min=None, age_max=130)
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "120" in _errors(excinfo)["age_max"][0]


def test_it_refuses_an_amount_for_a_free_offer(org_a, offer_fields):
    offer_fields.update(cost=Cost.FREE, cost_amount=Decimal("5.00"))
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "gratis" in _errors(excinfo)["cost_amount"][0]


def test_it_accepts_an_amount_for_a_contribution(org_a, offer_fields):
    offer_fields.update(cost=Cost.CONTRIBUTION, cost_amount=Decimal("12.50"))
    assert _create(org_a, **offer_fields).cost_amount == Decimal("12.50")


def test_it_refuses_a_negative_amount(org_a, offer_fields):
    offer_fields.update(cost=Cost.PRICE, cost_amount=Decimal("-1"))
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "negatief" in _errors(excinfo)["cost_amount"][0]


def test_it_requires_an_assessment_date_with_an_evidence_level(org_a, offer_fields):
    offer_fields.update(evidence_level=EvidenceLevel.WELL_FOUNDED, evidence_assessed_on=None)
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "evidence_assessed_on" in _errors(excinfo)


def test_it_refuses_an_assessment_date_in_the_future(org_a, offer_fields):
    offer_fields.update(
        evidence_level=EvidenceLevel.WELL_FOUNDED,
        evidence_assessed_on=TODAY + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "toekomst" in _errors(excinfo)["evidence_assessed_on"][0]


def test_it_drops_the_assessment_date_without_an_evidence_level(org_a, offer_fields):
    offer_fields.update(evidence_level=EvidenceLevel.NONE, evidence_assessed_on=TODAY)
    assert _create(org_a, **offer_fields).evidence_assessed_on is None


def test_it_computes_when_a_recognition_expires(org_a, offer_fields):
    offer_fields.update(
        evidence_level=EvidenceLevel.WELL_DESCRIBED,
        evidence_assessed_on=datetime.date(2024, 2, 29),
    )
    assert _create(org_a, **offer_fields).evidence_expires_on == datetime.date(2027, 2, 28)
    offer_fields["evidence_level"] = EvidenceLevel.EFFECTIVE_GOOD
    assert _create(org_a, **offer_fields).evidence_expires_on == datetime.date(2029, 2, 28)


@pytest.mark.parametrize(
    ("field", "concept"),
    [
        ("intervention_type", "eenzaamheid"),  # a theme is not an intervention type
        ("intervention_type", "draft_type"),  # not accepted
        ("themes", "ouderen"),
        ("target_groups", "eenzaamheid"),
        ("working_elements", "maatjes"),
    ],
)
def test_it_takes_concepts_only_from_their_own_list_and_only_accepted(
    org_a, offer_fields, concepts, field, concept
):
    value = concepts[concept]
    offer_fields[field] = value if field == "intervention_type" else [value]
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert concepts[concept].pref_label_nl in _errors(excinfo)[field][0]


def test_a_restore_may_keep_a_deprecated_concept_but_no_draft(org_a, offer_fields, concepts):
    deprecated = concepts["eenzaamheid"]
    concept_deprecate(concept=deprecated, replaced_by=concepts["opvang_thema"], changed_by=None)
    with pytest.raises(ValidationError):
        _create(org_a, **offer_fields)

    offer = _create(org_a, keep_deprecated=True, **offer_fields)

    assert list(offer.themes.all()) == [deprecated]
    offer_fields.update(name="Nieuw", intervention_type=concepts["draft_type"])
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, keep_deprecated=True, **offer_fields)
    assert "intervention_type" in _errors(excinfo)


def test_it_keeps_languages_from_the_list_in_list_order_without_doubles(org_a, offer_fields):
    offer_fields["languages"] = ["ar", "nl", "ar"]
    assert _create(org_a, **offer_fields).languages == [Language.DUTCH, Language.ARABIC]
    offer_fields["languages"] = ["nl", "klingon"]
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "languages" in _errors(excinfo)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0201234567", "020 123 4567"),
        ("+31 6 12345678", "06 12345678"),
        ("0800-1234", "0800 1234"),
        ("+49 30 123456", "+49 30 123456"),
    ],
)
def test_it_stores_phone_numbers_in_national_format(org_a, offer_fields, typed, stored):
    offer_fields["phone"] = typed
    assert _create(org_a, **offer_fields).phone == stored


def test_it_refuses_what_is_not_a_phone_number(org_a, offer_fields):
    offer_fields["phone"] = "12"
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert "telefoonnummer" in _errors(excinfo)["phone"][0]


def test_it_validates_email_and_website_and_adds_the_scheme(org_a, offer_fields):
    offer_fields.update(email="geen-adres", website="javascript:alert(1)")
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert {"email", "website"} <= set(_errors(excinfo))
    offer_fields.update(email=" maatjes@welzijn.nl ", website="www.welzijn.nl/maatjes")
    offer = _create(org_a, **offer_fields)
    assert (offer.email, offer.website) == ("maatjes@welzijn.nl", "https://www.welzijn.nl/maatjes")


def test_it_reports_all_errors_at_once(org_a, offer_fields):
    offer_fields.update(phone="12", age_min=10, age_max=5, locations=[])
    with pytest.raises(ValidationError) as excinfo:
        _create(org_a, **offer_fields)
    assert {"phone", "age_max", "locations"} <= set(_errors(excinfo))


def test_an_update_replaces_the_locations_and_confirms_the_offer(org_a, offer_fields, zwolle):
    offer = _create(org_a, **offer_fields)
    kampen = PlaceFactory(name="Kampen", latitude=52.555, longitude=5.911)
    later = TODAY + datetime.timedelta(days=30)
    services.offer_update(
        offer=offer, today=later, name="Maatjes Kampen", locations=[LocationInput(place=kampen)]
    )
    offer.refresh_from_db()
    assert offer.name == "Maatjes Kampen"
    assert offer.last_confirmed_on == later
    assert [loc.place for loc in offer.locations.all()] == [kampen]


def test_an_update_without_locations_keeps_them(org_a, offer_fields):
    offer = _create(org_a, **offer_fields)
    services.offer_update(offer=offer, today=TODAY, description="Nieuw")
    assert offer.locations.count() == 1


def test_a_failed_update_writes_nothing(org_a, offer_fields):
    offer = _create(org_a, **offer_fields)
    with pytest.raises(ValidationError):
        services.offer_update(offer=offer, today=TODAY, name="Nieuw", locations=[])
    offer.refresh_from_db()
    assert offer.name == "Maatjes Zwolle"
    assert offer.locations.count() == 1


def test_it_pauses_resumes_and_archives(org_a, offer_fields):
    offer = _create(org_a, **offer_fields)
    assert services.offer_pause(offer=offer).status == OfferStatus.PAUSED
    assert services.offer_resume(offer=offer).status == OfferStatus.ACTIVE
    assert services.offer_archive(offer=offer).status == OfferStatus.ARCHIVED
    with pytest.raises(ValidationError):
        services.offer_pause(offer=offer)
    assert services.offer_resume(offer=offer).status == OfferStatus.ACTIVE


def test_confirming_sets_the_date(org_a):
    offer = OfferFactory(organisation=org_a, last_confirmed_on=datetime.date(2020, 1, 1))
    services.offer_confirm(offer=offer, today=TODAY)
    offer.refresh_from_db()
    assert offer.last_confirmed_on == TODAY


def test_only_a_shelter_has_free_places(org_a, concepts):
    other = OfferFactory(organisation=org_a, intervention_type=concepts["maatjes"])
    with pytest.raises(ValidationError) as excinfo:
        services.offer_places_update(offer=other, places_available=3)
    assert "opvang" in excinfo.value.message_dict["places_available"][0]

    by_type = OfferFactory(organisation=org_a, intervention_type=concepts["opvang"])
    services.offer_places_update(offer=by_type, places_available=3)
    by_type.refresh_from_db()
    assert by_type.places_available == 3
    assert by_type.places_updated_at is not None

    by_theme = OfferFactory(
        organisation=org_a, intervention_type=concepts["maatjes"], themes=[concepts["opvang_thema"]]
    )
    assert services.offer_places_update(offer=by_theme, places_available=0).places_available == 0


def test_it_refuses_an_impossible_number_of_places(org_a, concepts):
    offer = OfferFactory(organisation=org_a, intervention_type=concepts["opvang"])
    with pytest.raises(ValidationError):
        services.offer_places_update(offer=offer, places_available=-1)


def test_an_offer_that_stops_being_a_shelter_loses_its_places(org_a, offer_fields, concepts):
    offer = _create(org_a, **{**offer_fields, "intervention_type": concepts["opvang"]})
    services.offer_places_update(offer=offer, places_available=4)
    services.offer_update(offer=offer, today=TODAY, intervention_type=concepts["maatjes"])
    offer.refresh_from_db()
    assert offer.places_available is None


def test_every_write_sends_offer_changed_after_locations_and_concepts(
    org_a, offer_fields, concepts, sent
):
    seen = []

    def look(sender, offer, **kwargs):
        seen.append((offer.locations.count(), offer.themes.count()))

    from meerwaarde.offers.signals import offer_changed

    offer_changed.connect(look, weak=False)
    try:
        offer = _create(org_a, **{**offer_fields, "intervention_type": concepts["opvang"]})
    finally:
        offer_changed.disconnect(look)
    assert seen == [(1, 1)]

    services.offer_update(offer=offer, today=TODAY, description="Anders")
    services.offer_pause(offer=offer)
    services.offer_resume(offer=offer)
    services.offer_archive(offer=offer)
    services.offer_confirm(offer=offer, today=TODAY)
    services.offer_places_update(offer=offer, places_available=2)
    assert sent == [("changed", offer.pk)] * 7


def test_a_failed_write_sends_nothing(org_a, offer_fields, sent):
    with pytest.raises(ValidationError):
        _create(org_a, **{**offer_fields, "locations": []})
    assert sent == []


def test_deleting_sends_offer_deleted_before_the_row_goes(org_a, sent):
    offer = OfferFactory(organisation=org_a)
    pk = offer.pk
    existed = []

    from meerwaarde.offers.signals import offer_deleted

    def look(sender, offer_id, **kwargs):
        existed.append(Offer.objects.filter(pk=offer_id).exists())

    offer_deleted.connect(look, weak=False)
    try:
        services.offer_delete(offer=offer)
    finally:
        offer_deleted.disconnect(look)
    assert sent == [("deleted", pk)]
    assert existed == [True]
    assert not Offer.objects.filter(pk=pk).exists()
