import datetime
import re

import pytest
from django.urls import reverse

from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.sharing.models import AccessGrant, ApiToken, GrantKind, ImpactPage
from meerwaarde.sharing.services import token_hash
from meerwaarde.sharing.tests.factories import AccessGrantFactory, report_for

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"sharing:{name}", kwargs={"slug": org.slug, **kwargs})


def _in_a_month() -> str:
    return (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def test_it_lists_the_grants_given_with_their_status(carol_client, org_a, municipality, today):
    today(datetime.date(2026, 3, 15))
    AccessGrantFactory(organisation=org_a, partner=municipality, ends_on=datetime.date(2026, 6, 1))
    AccessGrantFactory(organisation=org_a, partner=municipality, ends_on=datetime.date(2026, 3, 1))
    revoked = AccessGrantFactory(
        organisation=org_a, partner=municipality, ends_on=datetime.date(2026, 6, 1)
    )
    revoked.revoked_at = datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC)
    revoked.save()

    html = carol_client.get(_url("overview", org_a)).content.decode()

    assert sorted(re.findall(r'data-status="(\w+)"', html)) == ["active", "ended", "revoked"]
    # Only the active grant can be revoked.
    assert html.count("/intrekken/") == 1
    assert "alle resultaten van de organisatie" in html


def test_it_shows_an_empty_state_without_grants(carol_client, org_a):
    html = carol_client.get(_url("overview", org_a)).content.decode()

    assert 'data-empty="grants"' in html
    assert "U heeft nog met niemand iets gedeeld." in html


def test_it_lets_a_worker_not_manage_sharing(bob_client, org_a):
    assert bob_client.get(_url("overview", org_a)).status_code == 403


@pytest.mark.parametrize(
    "name", ["overview", "grant_create", "impact_settings", "impact_preview", "api_tokens"]
)
def test_it_hides_the_sharing_pages_from_another_organisation(charlie_client, org_a, name):
    assert charlie_client.get(_url(name, org_a)).status_code == 404


def test_it_lets_another_organisation_not_revoke_a_grant(
    charlie_client, org_a, org_b, municipality
):
    grant = AccessGrantFactory(organisation=org_a, partner=municipality)

    # Neither by A's address nor by its own.
    assert charlie_client.post(_url("grant_revoke", org_a, pk=grant.pk)).status_code == 404
    assert charlie_client.post(_url("grant_revoke", org_b, pk=grant.pk)).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_it_grants_a_dashboard_with_chosen_filters(carol_client, carol, org_a, municipality):
    offer = OfferFactory(organisation=org_a, name="Maatjes")

    response = carol_client.post(
        _url("grant_create", org_a),
        {
            "partner": municipality.pk,
            "kind": GrantKind.DASHBOARD,
            "f-aanbod": offer.pk,
            "f-van": "2025-01",
            "ends_on": _in_a_month(),
            "note": "Subsidieafspraak 2026",
        },
    )

    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert (grant.organisation, grant.partner, grant.created_by) == (org_a, municipality, carol)
    assert grant.filters == {"aanbod": str(offer.pk), "van": "2025-01"}
    html = carol_client.get(response["Location"]).content.decode()
    assert "Gemeente Gamma heeft nu toegang tot en met" in html
    assert "Aanbod: Maatjes; Periode: januari 2025 tot en met nu" in html


def test_it_grants_a_report(carol_client, org_a, municipality):
    report = report_for(org_a, title="Verantwoording Wmo 2025")

    response = carol_client.post(
        _url("grant_create", org_a),
        {
            "partner": municipality.pk,
            "kind": GrantKind.REPORT,
            "report": report.pk,
            "ends_on": _in_a_month(),
        },
    )

    assert response.status_code == 302
    assert AccessGrant.objects.get().report == report


def test_it_keeps_what_was_typed_and_links_each_error(carol_client, org_a, municipality):
    response = carol_client.post(
        _url("grant_create", org_a),
        {
            "partner": municipality.pk,
            "kind": GrantKind.REPORT,
            "ends_on": "2000-01-01",
            "note": "Afspraak met de wethouder",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_report_error"' in html and 'href="#id_ends_on_error"' in html
    assert "Kies de verantwoording die u deelt." in html
    assert "Kies een einddatum na vandaag." in html
    assert 'value="Afspraak met de wethouder"' in html
    assert f'<option value="{municipality.pk}" selected>' in html
    assert not AccessGrant.objects.exists()


def test_it_shows_a_filter_error_on_the_filter_field(carol_client, org_a, municipality):
    response = carol_client.post(
        _url("grant_create", org_a),
        {
            "partner": municipality.pk,
            "kind": GrantKind.DASHBOARD,
            "f-van": "2025-06",
            "f-tot": "2025-01",
            "ends_on": _in_a_month(),
        },
    )

    html = response.content.decode()
    assert 'href="#id_f-tot_error"' in html
    assert "De laatste maand ligt vóór de eerste." in html
    assert not AccessGrant.objects.exists()


def test_it_offers_only_the_organisations_own_reports(carol_client, org_a, org_b):
    report_for(org_a, title="Eigen verantwoording")
    report_for(org_b, title="Andermans verantwoording")

    html = carol_client.get(_url("grant_create", org_a)).content.decode()

    assert "Eigen verantwoording" in html and "Andermans verantwoording" not in html
    assert f">{org_a.name} (" not in html  # not itself as partner


def test_it_revokes_a_grant(carol_client, org_a, municipality):
    grant = AccessGrantFactory(organisation=org_a, partner=municipality)

    response = carol_client.post(_url("grant_revoke", org_a, pk=grant.pk))

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_it_saves_publishes_and_unpublishes_the_impact_page(carol_client, org_a):
    response = carol_client.post(
        _url("impact_settings", org_a),
        {"introduction": "Wij helpen Alfa.", "sections": ["activiteit", "gas"]},
    )
    assert response.status_code == 302
    page = ImpactPage.objects.get(organisation=org_a)
    assert page.sections == ["activiteit", "gas"] and not page.is_published

    carol_client.post(_url("impact_publish", org_a))
    page.refresh_from_db()
    assert page.is_published

    carol_client.post(_url("impact_unpublish", org_a))
    page.refresh_from_db()
    assert not page.is_published


def test_it_shows_why_an_impact_page_without_sections_cannot_be_published(carol_client, org_a):
    response = carol_client.post(_url("impact_publish", org_a), follow=True)

    assert "Kies eerst welke onderdelen de pagina toont" in response.content.decode()
    assert not ImpactPage.objects.filter(is_published=True).exists()


def test_it_shows_a_new_key_once_and_keeps_only_its_hash(carol_client, org_a):
    response = carol_client.post(
        _url("api_tokens", org_a), {"name": "Datawarehouse", "expires_on": _in_a_month()}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'value="(mw_[^"]+)"[^>]*data-new-key', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(key) and token.name == "Datawarehouse"

    again = carol_client.get(_url("api_tokens", org_a)).content.decode()
    assert key not in again and f"{token.prefix}…" in again


def test_it_revokes_a_key_and_not_another_organisations(carol_client, charlie_client, org_a):
    carol_client.post(_url("api_tokens", org_a), {"name": "BI", "expires_on": _in_a_month()})
    token = ApiToken.objects.get()

    assert charlie_client.post(_url("api_token_revoke", org_a, pk=token.pk)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None

    carol_client.post(_url("api_token_revoke", org_a, pk=token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None
