"""The public search page, the offer page and the hand-out, through the Django test client."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from meerwaarde.directory.search.types import FacetValue, SearchHit, SearchResult
from meerwaarde.directory.text import stem

from .public_data import make_directory

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


@pytest.fixture
def directory():
    return make_directory()


def get(query: str = "", **headers) -> str:
    response = Client().get(SEARCH + query, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> list[str]:
    return re.findall(r'<li class="mw-result" data-offer="(\d+)"', html)


def test_it_finds_offers_without_logging_in(directory):
    html = get("?q=schulden&plaats=Zwolle")
    ids = listed(html)
    assert str(directory.debt_buddy_offer.pk) in ids
    assert str(directory.elderly_offer.pk) not in ids
    assert "Welzijn Zwolle" in html and "Schuldhulpmaatje" in html
    assert "Erkend: Goed onderbouwd" in html and "Gratis" in html


def test_it_never_lists_paused_or_stale_offers(directory):
    ids = listed(get("?q=schulden"))
    assert str(directory.paused_offer.pk) not in ids
    assert str(directory.stale_offer.pk) not in ids


def test_it_highlights_the_matching_words_after_escaping(directory):
    html = get("?q=schulden")
    assert "<mark>schulden</mark>" in html
    assert "<script>alert(1)</script>" not in html


def test_it_shows_the_distance_and_area_offers(directory):
    html = get("?q=schulden&plaats=Kampen&afstand=25")
    assert "werkt in de hele gemeente" in html
    assert re.search(r"data-distance>\d+,\d km<", html)


def test_it_shows_counts_per_filter_value_in_the_current_language(directory):
    html = get("?plaats=Zwolle")
    assert re.search(r"Armoede en schulden <span class=\"mw-count\">\(\d+\)</span>", html)
    assert re.search(r"Eenzaamheid <span class=\"mw-count\">\(\d+\)</span>", html)
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(SEARCH + "?plaats=Zwolle").content.decode()
    assert "Poverty and debt" in html


def test_filters_narrow_the_results_and_stay_ticked(directory):
    html = get("?thema=thema-eenzaamheid&plaats=Zwolle&afstand=50")
    ids = listed(html)
    assert str(directory.elderly_offer.pk) in ids and str(directory.deventer_offer.pk) in ids
    assert str(directory.debt_buddy_offer.pk) not in ids
    assert 'value="thema-eenzaamheid" id="id_thema_thema-eenzaamheid" checked' in html
    ids = listed(get("?gratis=1&zonder_verwijzing=1&leeftijd=70&plaats=Zwolle"))
    assert str(directory.debt_buddy_offer.pk) in ids
    assert str(directory.elderly_offer.pk) not in ids  # referral and a contribution


def test_no_results_suggest_a_wider_distance_and_no_filters(directory):
    html = get("?q=eenzaamheid&plaats=Zwolle&afstand=5&gratis=1&doelgroep=doelgroep-ouderen")
    assert "data-no-results" in html
    wider = re.search(r'href="([^"]+)" data-suggestion="wider"', html)[1]
    assert "afstand=10" in wider and "q=eenzaamheid" in wider
    plain = re.search(r'href="([^"]+)" data-suggestion="no_filters"', html)[1]
    assert "gratis" not in plain and "doelgroep" not in plain and "plaats=Zwolle" in plain


def test_it_says_what_was_searched_when_the_engine_corrected_the_spelling(directory, monkeypatch):
    from meerwaarde.directory import views

    def corrected(params, *, facets=True):
        hits = [SearchHit(directory.debt_buddy_offer.pk, 1.0, None, frozenset({stem("schuld")}))]
        return SearchResult(
            params,
            hits,
            1,
            {"themes": [FacetValue("thema-armoede-schulden", 1)]},
            corrected_q="schulden",
        )

    monkeypatch.setattr(views, "search_offers", corrected)
    html = get("?q=schuldne")
    assert "Gezocht op: <strong>schulden</strong> (gecorrigeerd)" in html

    def nothing(params, *, facets=True):
        return SearchResult(params, [], 0, {}, corrected_q="eenzaamheid")

    monkeypatch.setattr(views, "search_offers", nothing)
    html = get("?q=eenzaamheit")
    assert "Bedoelde u:" in html
    assert re.search(r'href="\?q=eenzaamheid" data-suggestion="corrected">eenzaamheid<', html)


def test_an_unknown_place_gets_a_message_with_suggestions(directory):
    html = get("?q=schulden&plaats=Zwol")
    assert "Deze plaats kennen we niet" in html and 'role="alert"' in html
    assert "plaats=Zwolle+%28Overijssel%29" in html
    assert 'aria-invalid="true"' in html


def test_an_ambiguous_place_lists_the_provinces(directory):
    html = get("?plaats=Hengelo")
    assert "Hengelo (Overijssel)" in html and "Hengelo (Gelderland)" in html


@pytest.mark.parametrize(
    "query",
    [
        "?afstand=9999999999999999999999",
        "?leeftijd=-5",
        "?thema=%27%3B+DROP+TABLE+offers_offer%3B--",
        "?pagina=abc",
        "?q=%00%00",
        "?plaats=%3Cscript%3E",
        "?q=a&q=b",
        "?lat=1e999&lon=6",
        "?gratis[]=1",
    ],
)
def test_bad_input_gives_a_message_never_an_error_page(directory, query):
    html = get(query)
    assert "<script>" not in html.split("</head>")[1].replace("<script src=", "")


def test_a_thousand_character_query_is_shortened_with_a_notice(directory):
    html = get("?q=" + "schulden%20" * 91)
    assert "Uw zoekvraag was erg lang" in html


def test_an_empty_search_shows_all_public_offers(directory):
    assert len(listed(get("?q="))) == 4


def test_pagination_keeps_every_parameter(directory, monkeypatch):
    from meerwaarde.directory import views

    def many(params, *, facets=True):
        hits = [SearchHit(directory.debt_buddy_offer.pk, 1.0, 1.0)]
        return SearchResult(params, hits, 45)

    monkeypatch.setattr(views, "search_offers", many)
    html = get("?q=schulden&plaats=Zwolle&afstand=25&gratis=1&thema=thema-armoede-schulden")
    nxt = re.search(r'rel="next" href="([^"]+)"', html)[1].replace("&amp;", "&")
    for part in (
        "q=schulden",
        "afstand=25",
        "gratis=1",
        "thema=thema-armoede-schulden",
        "pagina=2",
        "plaats=Zwolle",
    ):
        assert part in nxt
    assert "Pagina 1 van 3" in html


def test_htmx_gets_only_the_search_region(directory):
    html = get("?q=schulden", **{"HX-Request": "true"})
    assert html.startswith('<div id="sociale-kaart"') and "<html" not in html
    restore = get("?q=schulden", **{"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore


def test_the_map_shows_numbered_markers_and_no_tiles_by_default(directory):
    html = get("?q=schulden&plaats=Zwolle")
    assert '<figure class="mw-map-figure">' in html and 'data-number="1"' in html
    assert "<image" not in html
    assert "dezelfde aanbieders als deze genummerde lijst" in html


@override_settings(
    DIRECTORY_TILE_URL="https://tiles.example.nl/{z}/{x}/{y}.png",
    DIRECTORY_TILE_ATTRIBUTION="© Testkaart",
)
def test_the_map_shows_tiles_when_a_server_is_configured(directory):
    html = get("?q=schulden&plaats=Zwolle")
    assert '<image href="https://tiles.example.nl/' in html and "© Testkaart" in html


def test_the_place_field_suggests_places(directory):
    html = Client().get(reverse("directory:place_options") + "?plaats=Zwo").content.decode()
    assert '<option value="Zwolle (Overijssel)">' in html


def test_the_page_has_no_inline_script_or_style(directory):
    html = get("?q=schulden&plaats=Zwolle")
    assert "<script>" not in html and " style=" not in html and "<style" not in html


# The offer page and the hand-out ----------------------------------------------------------


def test_the_offer_page_has_what_a_gp_needs_to_refer(directory):
    offer = directory.debt_buddy_offer
    response = Client().get(reverse("directory:offer", args=[offer.pk]))
    html = response.content.decode()
    for text in (
        "Schuldhulpmaatje Zwolle",
        "Een getrainde vrijwilliger helpt iemand met geldzorgen.",  # the type's definition
        "Armoede en schulden",
        "Grote Markt 1",
        "8011 LW",
        "Maandag en donderdag",
        "Gratis",
        "Vrij toegankelijk, zonder verwijzing",
        "Bel of mail ons",
        'href="tel:0381234567"',
        'href="mailto:info@schuldhulpmaatje.example"',
        "Arabisch",
        "Rolstoeltoegankelijk",
        "Goed onderbouwd, beoordeeld op 1 maart 2024; geldig tot 1 maart 2029",
        "Laatst bevestigd",
        "Welzijn Zwolle",
        reverse("directory:offer_print", args=[offer.pk]),
    ):
        assert text in html, text
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_the_offer_page_says_who_can_refer_and_the_age(directory):
    html = Client().get(reverse("directory:offer", args=[directory.elderly_offer.pk]))
    html = html.content.decode()
    assert "Alleen met verwijzing" in html and "Huisarts, POH-GGZ of wijkteam" in html
    assert "vanaf 65 jaar" in html and "Eigen bijdrage: € 15,00" in html


def test_non_public_offers_are_not_found(directory):
    for offer in (directory.paused_offer, directory.stale_offer):
        for name in ("directory:offer", "directory:offer_print"):
            assert Client().get(reverse(name, args=[offer.pk])).status_code == 404
    assert Client().get(reverse("directory:offer", args=[999_999])).status_code == 404


def test_a_slug_link_redirects_to_the_stable_address(directory):
    offer = directory.debt_buddy_offer
    response = Client().get(f"/sociale-kaart/aanbod/{offer.pk}/iets-anders/")
    assert response.status_code == 301
    assert response["Location"] == reverse("directory:offer", args=[offer.pk])


def test_the_hand_out_has_no_navigation_and_prints_on_a4(directory):
    offer = directory.debt_buddy_offer
    html = Client().get(reverse("directory:offer_print", args=[offer.pk])).content.decode()
    assert "<nav" not in html and "mw-header" not in html and "mw-footer" not in html
    assert "directory/print.css" in html and "directory/print.js" in html
    assert "Afdrukken" in html and "U kunt zich zelf aanmelden" in html
    assert "038 123 45 67" in html and "<script>alert" not in html
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("directory/print.css")).read_text(encoding="utf-8")
    assert "@page { size: A4" in css and "font-size: 15pt" in css


def test_the_menu_and_home_page_link_to_the_sociale_kaart(directory):
    html = Client().get("/").content.decode()
    assert 'data-menu="directory" href="/sociale-kaart/"' in html
    assert html.count('href="/sociale-kaart/"') >= 2


def test_a_shelter_shows_its_available_places_with_the_update_time(directory):
    import datetime

    from django.utils import timezone

    from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory

    offer = directory.area_offer
    offer.themes.add(
        ConceptFactory(
            scheme=ConceptSchemeFactory(code="themes"), code="thema-maatschappelijke-opvang"
        )
    )
    offer.places_available = 3
    offer.places_updated_at = timezone.make_aware(datetime.datetime(2026, 1, 5, 14, 30))
    offer.save()
    html = Client().get(reverse("directory:offer", args=[offer.pk])).content.decode()
    assert "Vrije plaatsen" in html and "bijgewerkt op 5 januari 2026, 14:30" in html
    assert "In de hele gemeente" in html
