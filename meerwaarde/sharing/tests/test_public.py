import re

import pytest
from django.urls import reverse

from meerwaarde.sharing import services

pytestmark = pytest.mark.django_db


def _public(org) -> str:
    return reverse("sharing:impact_page", kwargs={"slug": org.slug})


def _sections(html: str) -> list[str]:
    return re.findall(r'data-section="(\w+)"', html)


@pytest.fixture
def page(org_a, small_and_big):
    small, _big = small_and_big
    return services.impact_page_update(
        organisation=org_a,
        introduction="Welzijn Alfa helpt inwoners uit de eenzaamheid.",
        sections=["activiteit", "uitkomsten"],
        filters={"aanbod": str(small.pk)},
    )


def test_it_has_no_public_page_for_an_organisation_that_did_not_opt_in(client, org_a):
    assert client.get(_public(org_a)).status_code == 404


def test_it_keeps_a_saved_but_unpublished_page_private(client, org_a, page):
    assert client.get(_public(org_a)).status_code == 404


def test_it_shows_the_published_sections_only(client, org_a, page):
    services.impact_page_publish(organisation=org_a)

    response = client.get(_public(org_a))

    assert response.status_code == 200
    html = response.content.decode()
    assert _sections(html) == ["activity", "outcomes"]
    assert "Welzijn Alfa helpt inwoners uit de eenzaamheid." in html
    assert "Aanbod: Kleine groep" in html


def test_it_shows_te_weinig_deelnemers_instead_of_small_figures(client, org_a, page):
    services.impact_page_publish(organisation=org_a)

    html = client.get(_public(org_a)).content.decode()

    assert "te weinig deelnemers" in html
    assert "Bij 3 deelnemers" not in html


def test_it_goes_back_to_404_when_taken_offline(client, org_a, page):
    services.impact_page_publish(organisation=org_a)
    services.impact_page_unpublish(organisation=org_a)

    assert client.get(_public(org_a)).status_code == 404


def test_it_shows_the_coordinator_a_preview_of_an_unpublished_page(carol_client, org_a, page):
    response = carol_client.get(reverse("sharing:impact_preview", kwargs={"slug": org_a.slug}))

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-preview" in html and "nog niet gepubliceerd" in html
    assert _sections(html) == ["activity", "outcomes"]


def test_it_shows_no_page_for_an_unknown_organisation(client):
    assert (
        client.get(reverse("sharing:impact_page", kwargs={"slug": "bestaat-niet"})).status_code
        == 404
    )
