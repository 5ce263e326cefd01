import re

import pytest
from django.test import Client
from django.urls import reverse

from meerwaarde.bundling.suppression import HIDDEN_TEXT

pytestmark = pytest.mark.django_db

PUBLIC = reverse("bundling:public")
SECTOR = reverse("bundling:sector")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-table="{table_id}".*?</table>', html, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def test_the_public_page_needs_no_login_and_shows_charts_summaries_and_tables(client, sector):
    response = client.get(PUBLIC)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sociaal werk in beeld" in html
    assert html.count('role="img"') >= 3  # reach, an instrument, a scale by group
    assert "<figcaption" in html
    assert 'data-explain="suppression"' in html
    assert " style=" not in html and "<script>" not in html


def test_the_public_page_shows_no_cell_below_k(client, sector):
    html = client.get(PUBLIC + "?indeling=plaats").content.decode()

    rows = _table_rows(html, "grafiek-bereik-municipality")
    deventer = next(r for r in rows if r[0].startswith("Deventer"))
    assert deventer[3:] == [str(HIDDEN_TEXT)] * 7
    for dimension in ("provincie", "plaats", "thema", "doelgroep", "soort"):
        html = client.get(PUBLIC + f"?indeling={dimension}").content.decode()
        for table_id in re.findall(r'data-table="([^"]+)"', html):
            header, *body = _table_rows(html, table_id)
            if "Deelnemers" not in header:
                continue
            column = header.index("Deelnemers")
            for row in body:
                value = row[column]
                assert value == str(HIDDEN_TEXT) or int(value.replace(".", "")) >= 10, row


def test_a_focus_group_is_one_click_away(client, sector):
    html = client.get(PUBLIC).content.decode()
    assert 'data-focus="ouderen"' in html and 'data-focus="psychisch-kwetsbaren"' in html

    html = client.get(PUBLIC + "?focus=ouderen").content.decode()
    assert 'aria-current="page"' in html
    rows = _table_rows(html, "grafiek-bereik-province")
    assert rows[-1][0] == "Totaal van de selectie"
    assert rows[-1][3] == "40"


def test_an_invalid_filter_is_explained_and_left_out(client, sector):
    response = client.get(PUBLIC + "?provincie=XX&van=2025-13")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Niet elk filter kon worden gebruikt" in html
    assert "Vul een maand in als jaar-maand" in html


def test_the_sector_view_needs_view_sector(client, alice_client, platform_user, sector):
    assert client.get(SECTOR).status_code == 302  # to the login page
    assert alice_client.get(SECTOR).status_code == 403
    assert _client(platform_user("editor")).get(SECTOR).status_code == 403
    for role in ("sector_analyst", "platform_admin"):
        response = _client(platform_user(role)).get(SECTOR + "?indeling=soort")
        assert response.status_code == 200
        assert "Sector: gebundelde cijfers" in response.content.decode()


def test_the_comparison_shows_the_own_organisation_and_no_other_name(carol_client, org_a, sector):
    url = reverse("bundling:comparison", kwargs={"slug": org_a.slug})

    response = carol_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Uw organisatie" in html
    assert 'data-comparison="trechter-' in html
    for other in ("Sociaal Werk Beta", "Welzijn Gamma", "sociaal-werk-beta", "welzijn-gamma"):
        assert other not in html
    assert " style=" not in html


def test_the_comparison_of_another_organisation_is_a_404(charlie_client, bob_client, org_a, sector):
    url = reverse("bundling:comparison", kwargs={"slug": org_a.slug})
    assert charlie_client.get(url).status_code == 404
    assert bob_client.get(url).status_code == 403  # a worker does not see results


def test_the_dashboard_links_to_the_comparison(carol_client, org_a, sector):
    html = carol_client.get(reverse("analysis:dashboard", kwargs={"slug": org_a.slug})).content
    assert reverse("bundling:comparison", kwargs={"slug": org_a.slug}) in html.decode()
