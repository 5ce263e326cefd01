import csv
import io
import re

import pytest
from django.urls import reverse

from meerwaarde.activities.tests.factories import ActivityRecordFactory

pytestmark = pytest.mark.django_db


def _url(org, name="dashboard"):
    return reverse(f"analysis:{name}", kwargs={"slug": org.slug})


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def _table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-table="{table_id}".*?</table>', html, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


@pytest.fixture
def loneliness_data(outcomes):
    offer = outcomes.offer(name="Maatjesproject")
    for start, end in [(5, 2), (6, 3), (5, 4)]:
        outcomes.loneliness(offer, start, end)
    ActivityRecordFactory(
        offer=offer, month=outcomes.day(2).replace(day=1), participants_reached=12
    )
    ActivityRecordFactory(
        offer=offer, month=outcomes.day(1).replace(day=1), participants_reached=15
    )
    return offer


def test_it_shows_the_figures_as_charts_summaries_and_tables(carol_client, org_a, loneliness_data):
    response = carol_client.get(_url(org_a))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') >= 3  # activity, change per scale, category moves
    assert "<figcaption" in html
    assert (
        "Bij 3 deelnemers daalde de gemiddelde score op ‘Eenzaamheid totaal’ van 5,3 naar 3,0."
        in html
    )
    assert "De meeste deelnemers waren er in" in html
    assert "data-uncertain" in html
    assert "onzeker (minder dan 20 deelnemers)" in html
    for topic in ("paired", "change", "effect", "reliable", "moves", "gas", "small", "activity"):
        assert f'data-explain="{topic}"' in html
    assert "0,2 is een klein effect" in html
    assert "50 betekent dat de doelen" in html
    # The strict CSP allows no inline style or script.
    assert " style=" not in html
    assert "<script>" not in html and "onclick" not in html


def test_it_shows_a_table_behind_the_change_chart(carol_client, org_a, outcomes, loneliness_data):
    html = carol_client.get(_url(org_a)).content.decode()

    rows = _table_rows(html, f"grafiek-uitkomsten-{outcomes.djg6.pk}")
    header, *body = rows
    assert header[:7] == [
        "Schaal",
        "Uitkomstdomein",
        "Gunstig is",
        "Deelnemers",
        "Gemiddeld bij de start",
        "Gemiddeld aan het eind",
        "Verandering",
    ]
    total = next(row for row in body if row[0] == "Eenzaamheid totaal")
    assert total[2:7] == ["lager", "3", "5,3", "3,0", "-2,3"]
    assert total[-1] == "onzeker (minder dan 20 deelnemers)"


def test_it_shows_empty_states_without_data(carol_client, org_a):
    response = carol_client.get(_url(org_a))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-empty="activity"' in html
    assert 'data-empty="outcomes"' in html
    assert 'data-empty="gas"' in html
    assert 'role="img"' not in html


def test_it_shows_gas_and_the_notice_of_a_conversation_tool(carol_client, org_a, outcomes):
    offer = outcomes.offer()
    outcomes.gas_end(outcomes.trajectory(offer), [1, 1])
    trajectory = outcomes.trajectory(offer)
    outcomes.record(trajectory, outcomes.pg, "intake", {"zingeving": "4"}, outcomes.day(5))
    outcomes.record(trajectory, outcomes.pg, "end", {"zingeving": "7,5"}, outcomes.day(1))

    html = carol_client.get(_url(org_a)).content.decode()

    assert 'data-chart="grafiek-gas"' in html
    assert "Bij 1 deelnemer was de GAS T-score 62,4." in html
    assert "gespreksinstrument" in html
    assert "niet om aanbod of organisaties te rangschikken" in html


def test_it_lets_org_admins_in_and_keeps_workers_out(alice_client, bob_client, org_a):
    assert alice_client.get(_url(org_a)).status_code == 200
    assert bob_client.get(_url(org_a)).status_code == 403
    assert bob_client.get(_url(org_a, "csv"), {"tabel": "uitkomsten"}).status_code == 403


def test_it_hides_another_organisations_results(charlie_client, org_a, loneliness_data):
    assert charlie_client.get(_url(org_a)).status_code == 404
    assert charlie_client.get(_url(org_a, "csv"), {"tabel": "uitkomsten"}).status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(client, org_a):
    response = client.get(_url(org_a))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_offers_only_the_organisations_own_filters(carol_client, org_a, org_b, outcomes):
    own = outcomes.offer(name="Eigen aanbod")
    outcomes.offer(organisation=org_b, name="Aanbod van Beta")

    html = carol_client.get(_url(org_a)).content.decode()

    assert "Eigen aanbod" in html
    assert "Aanbod van Beta" not in html
    assert f'value="{own.pk}"' in html


def test_it_refuses_another_organisations_offer_as_filter(
    carol_client, org_a, org_b, outcomes, loneliness_data
):
    theirs = outcomes.offer(organisation=org_b)
    outcomes.loneliness(theirs, 6, 0)

    response = carol_client.get(_url(org_a), {"aanbod": theirs.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="mw-form-errors"' in html
    # Unfiltered, and only A's own three pairs.
    assert "Bij 3 deelnemers daalde" in html


def test_it_filters_on_an_offer_and_a_period(carol_client, org_a, outcomes, loneliness_data):
    other = outcomes.offer(name="Ander aanbod")
    outcomes.loneliness(other, 6, 6)

    all_html = carol_client.get(_url(org_a)).content.decode()
    offer_html = carol_client.get(_url(org_a), {"aanbod": loneliness_data.pk}).content.decode()
    later = outcomes.day(0).strftime("%Y-%m")
    period_html = carol_client.get(_url(org_a), {"van": later, "tot": later}).content.decode()

    assert "Bij 4 deelnemers" in all_html
    assert "Bij 3 deelnemers daalde" in offer_html
    assert 'data-empty="outcomes"' in period_html
    assert 'data-empty="activity"' in period_html


def test_it_explains_a_bad_month(carol_client, org_a, loneliness_data):
    response = carol_client.get(_url(org_a), {"van": "2025-13", "tot": "maart"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul een maand in als jaar-maand, bijvoorbeeld 2025-03." in html
    assert 'value="2025-13"' in html
    assert "Bij 3 deelnemers daalde" in html


def test_it_refuses_a_period_that_ends_before_it_starts(carol_client, org_a):
    html = carol_client.get(_url(org_a), {"van": "2025-06", "tot": "2025-01"}).content.decode()

    assert "De laatste maand ligt vóór de eerste." in html


def test_it_downloads_the_tables_shown_as_csv_for_dutch_excel(
    carol_client, org_a, outcomes, loneliness_data
):
    html = carol_client.get(_url(org_a)).content.decode()
    response = carol_client.get(_url(org_a, "csv"), {"tabel": "uitkomsten"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="resultaten-welzijn-alfa-uitkomsten.csv"' in response["Content-Disposition"]
    header, *rows = _csv(response)
    shown_header, *shown = _table_rows(html, f"grafiek-uitkomsten-{outcomes.djg6.pk}")
    assert header == ["Instrument", *shown_header]
    assert rows == [[outcomes.djg6.name, *row] for row in shown]
    assert 'href="/organisaties/welzijn-alfa/resultaten/download/?tabel=uitkomsten"' in html


def test_it_downloads_every_table_with_the_same_filters(
    carol_client, org_a, outcomes, loneliness_data
):
    other = outcomes.offer()
    outcomes.loneliness(other, 6, 6)
    filters = {"aanbod": loneliness_data.pk}

    activity = _csv(carol_client.get(_url(org_a, "csv"), {**filters, "tabel": "activiteit"}))
    moves = _csv(carol_client.get(_url(org_a, "csv"), {**filters, "tabel": "verschuivingen"}))
    gas = _csv(carol_client.get(_url(org_a, "csv"), {**filters, "tabel": "gas"}))

    assert activity[0][:4] == [
        "Maand",
        "Aanbod dat invulde",
        "Bijeenkomsten of contacten",
        "Deelnemers bereikt",
    ]
    assert [row[3] for row in activity[1:]] == ["12", "15"]
    assert moves[0] == [
        "Instrument",
        "Schaal",
        "Bij de start",
        "Aan het eind",
        "Deelnemers",
        "Aandeel van de startgroep",
    ]
    assert moves[1:] == [
        [
            outcomes.djg6.name,
            "Eenzaamheid totaal",
            "ernstig eenzaam",
            "matig eenzaam",
            "3",
            "100%",
        ]
    ]
    assert gas[1:] == []
    html = carol_client.get(_url(org_a), filters).content.decode()
    assert f"aanbod={loneliness_data.pk}&amp;tabel=activiteit" in html


def test_it_refuses_an_unknown_table(carol_client, org_a):
    assert carol_client.get(_url(org_a, "csv"), {"tabel": "deelnemers"}).status_code == 404
    assert carol_client.get(_url(org_a, "csv")).status_code == 404


def test_it_has_a_menu_item_and_a_card_for_coordinators(carol_client, bob_client, org_a):
    carol_home = carol_client.get(reverse("core:dashboard")).content.decode()
    bob_home = bob_client.get(reverse("core:dashboard")).content.decode()

    assert 'data-menu="results"' in carol_home
    assert 'data-panel="results"' in carol_home
    assert 'data-menu="results"' not in bob_home
    assert 'data-panel="results"' not in bob_home


def test_it_keeps_excel_from_running_an_instruments_name_as_a_formula(
    carol_client, org_a, outcomes
):
    from meerwaarde.instruments.tests.factories import InstrumentFactory

    own = InstrumentFactory(organisation=org_a, name='=HYPERLINK("https://example.org")')
    trajectory = outcomes.trajectory(outcomes.offer())
    outcomes.record(trajectory, own, "intake", {"v1": "2", "v2": "4", "v3": "2"}, outcomes.day(5))
    outcomes.record(trajectory, own, "end", {"v1": "4", "v2": "2", "v3": "5"}, outcomes.day(1))

    (row,) = _csv(carol_client.get(_url(org_a, "csv"), {"tabel": "uitkomsten"}))[1:]

    assert row[0] == '\'=HYPERLINK("https://example.org")'
    # A mean of three 1-5 items (v2 reversed): 2 at the start, 4,33 at the end.
    assert row[5:8] == ["2,0", "4,3", "+2,3"]
