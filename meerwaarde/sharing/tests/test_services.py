import datetime

import pytest
from django.core.exceptions import ValidationError

from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.sharing import services
from meerwaarde.sharing.models import ApiToken, GrantKind
from meerwaarde.sharing.services import token_hash
from meerwaarde.sharing.tests.factories import programme_for, report_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def _grant(organisation, partner, **overrides):
    values = {
        "organisation": organisation,
        "created_by": None,
        "partner": partner,
        "kind": GrantKind.DASHBOARD,
        "ends_on": TODAY + datetime.timedelta(days=90),
        "today": TODAY,
    }
    return services.grant_create(**(values | overrides))


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_it_grants_a_dashboard_with_the_filters_in_their_stored_form(org_a, municipality):
    offer = OfferFactory(organisation=org_a)

    grant = _grant(
        org_a, municipality, filters={"aanbod": str(offer.pk), "van": "2025-01", "onbekend": "x"}
    )

    assert grant.filters == {"aanbod": str(offer.pk), "van": "2025-01"}
    assert grant.report is None and grant.programme is None


def test_it_refuses_a_filter_on_another_organisations_offer(org_a, org_b, municipality):
    offer = OfferFactory(organisation=org_b)

    errors = _errors(lambda: _grant(org_a, municipality, filters={"aanbod": str(offer.pk)}))

    assert "aanbod" in errors


def test_it_refuses_the_organisation_itself_as_partner(org_a):
    assert "partner" in _errors(lambda: _grant(org_a, org_a))


@pytest.mark.parametrize(
    ("ends_on", "message"),
    [
        (TODAY, "Kies een einddatum na vandaag."),
        (TODAY - datetime.timedelta(days=3), "Kies een einddatum na vandaag."),
        (TODAY + datetime.timedelta(days=800), "langer dan twee jaar kan niet"),
        (None, "Kies een einddatum."),
    ],
)
def test_it_needs_an_end_date_after_today_and_within_two_years(
    org_a, municipality, ends_on, message
):
    errors = _errors(lambda: _grant(org_a, municipality, ends_on=ends_on))

    assert message in errors["ends_on"][0]


def test_it_accepts_an_end_date_two_years_ahead(org_a, municipality):
    grant = _grant(org_a, municipality, ends_on=TODAY + datetime.timedelta(days=731))

    assert grant.pk


def test_it_grants_a_report_only_of_the_organisation_itself(org_a, org_b, municipality):
    own, other = report_for(org_a), report_for(org_b)

    grant = _grant(org_a, municipality, kind=GrantKind.REPORT, report=own)
    assert grant.report == own and grant.filters == {}

    errors = _errors(lambda: _grant(org_a, municipality, kind=GrantKind.REPORT, report=other))
    assert errors["report"] == ["Deze verantwoording hoort niet bij uw organisatie."]
    assert "report" in _errors(lambda: _grant(org_a, municipality, kind=GrantKind.REPORT))


def test_it_grants_a_programme_only_of_the_organisation_itself(org_a, org_b, municipality):
    own, other = programme_for(org_a), programme_for(org_b)

    grant = _grant(org_a, municipality, kind=GrantKind.PROGRAMME, programme=own, report=None)
    assert grant.programme == own

    errors = _errors(lambda: _grant(org_a, municipality, kind=GrantKind.PROGRAMME, programme=other))
    assert errors["programme"] == ["Dit programma is niet van uw organisatie."]


def test_it_drops_a_report_given_with_a_dashboard_grant(org_a, municipality):
    grant = _grant(org_a, municipality, report=report_for(org_a))

    assert grant.kind == GrantKind.DASHBOARD and grant.report is None


def test_it_revokes_once_and_keeps_the_first_moment(org_a, municipality):
    grant = _grant(org_a, municipality)

    services.grant_revoke(grant=grant)
    first = grant.revoked_at
    services.grant_revoke(grant=grant)

    grant.refresh_from_db()
    assert first is not None and grant.revoked_at == first


def test_it_saves_the_impact_page_sections_in_page_order(org_a):
    page = services.impact_page_update(
        organisation=org_a, introduction="  Wij zijn er voor Alfa. ", sections=["gas", "activiteit"]
    )

    assert page.sections == ["activiteit", "gas"]
    assert page.introduction == "Wij zijn er voor Alfa."
    assert not page.is_published


def test_it_refuses_an_unknown_section(org_a):
    errors = _errors(
        lambda: services.impact_page_update(organisation=org_a, introduction="", sections=["x"])
    )

    assert "sections" in errors


def test_it_publishes_only_a_page_with_sections_and_takes_it_offline(org_a):
    assert "sections" in _errors(lambda: services.impact_page_publish(organisation=org_a))
    services.impact_page_update(organisation=org_a, introduction="", sections=["activiteit"])

    page = services.impact_page_publish(organisation=org_a)
    assert page.is_published and page.published_at is not None

    page = services.impact_page_unpublish(organisation=org_a)
    assert not page.is_published


def test_it_keeps_a_published_page_from_losing_every_section(org_a):
    services.impact_page_update(organisation=org_a, introduction="", sections=["activiteit"])
    services.impact_page_publish(organisation=org_a)

    errors = _errors(
        lambda: services.impact_page_update(organisation=org_a, introduction="", sections=[])
    )

    assert "sections" in errors


def test_it_stores_only_the_hash_and_prefix_of_a_new_key(org_a):
    token, key = services.api_token_create(
        organisation=org_a,
        created_by=None,
        name="Datawarehouse",
        expires_on=TODAY + datetime.timedelta(days=30),
        today=TODAY,
    )

    assert key.startswith("mw_") and len(key) > 40
    assert token.prefix == key[:8]
    assert token.key_hash == token_hash(key) != key
    stored = ApiToken.objects.values_list("name", "prefix", "key_hash")
    assert all(key not in value for row in stored for value in row)


def test_it_needs_a_name_and_an_expiry_within_two_years_for_a_key(org_a):
    errors = _errors(
        lambda: services.api_token_create(
            organisation=org_a,
            created_by=None,
            name=" ",
            expires_on=TODAY + datetime.timedelta(days=1000),
            today=TODAY,
        )
    )

    assert set(errors) == {"name", "expires_on"}


def test_it_notes_the_use_of_a_key_at_most_once_a_minute(org_a):
    token, _key = services.api_token_create(
        organisation=org_a,
        created_by=None,
        name="BI",
        expires_on=TODAY + datetime.timedelta(1),
        today=TODAY,
    )
    first = datetime.datetime(2026, 3, 15, 10, 0, tzinfo=datetime.UTC)

    services.api_token_touch(token=token, now=first)
    services.api_token_touch(token=token, now=first + datetime.timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == first

    later = first + datetime.timedelta(seconds=61)
    services.api_token_touch(token=token, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later
