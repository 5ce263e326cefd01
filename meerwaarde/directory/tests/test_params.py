"""The one parser of search parameters: each bad input gets its Dutch message, never a crash."""

import pytest
from django.http import QueryDict

from meerwaarde.directory.params import (
    API_NAMES,
    PAGE_NAMES,
    SearchParamError,
    parse_search_params,
)
from meerwaarde.directory.search.types import DEFAULT_PROXIMITY_KM, MAX_QUERY_LENGTH

from .public_data import make_directory

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "' OR 1=1 --",
    '"; DROP TABLE offers_offer; --',
    "<script>alert(1)</script>",
    "schuld\x00en",
    "{{ 7*7 }}",
    "../../etc/passwd",
    'NEAR(a b) OR * AND "',
    "%00%27",
    "9" * 400,
    "1e308",
    "NaN",
    "-0",
    "ａｂｃ",
]


@pytest.fixture
def directory():
    return make_directory()


def parse(query: str, *, api: bool = False):
    return parse_search_params(QueryDict(query), names=API_NAMES if api else PAGE_NAMES, strict=api)


def error_of(query: str, *, api: bool = False) -> SearchParamError:
    with pytest.raises(SearchParamError) as caught:
        parse(query, api=api)
    return caught.value


def test_it_parses_a_full_page_search(directory):
    parsed = parse(
        "q=+schulden++zwolle+&plaats=Zwolle&afstand=25&thema=thema-armoede-schulden"
        "&doelgroep=doelgroep-ouderen&interventie=interventie-maatjesproject"
        "&gratis=1&zonder_verwijzing=on&leeftijd=70&pagina=2"
    )
    p = parsed.params
    assert p.q == "schulden zwolle"
    assert (p.lat, p.lon) == (directory.zwolle.latitude, directory.zwolle.longitude)
    assert parsed.place == directory.zwolle
    assert p.proximity_km == 25
    assert p.themes == ("thema-armoede-schulden",)
    assert p.target_groups == ("doelgroep-ouderen",)
    assert p.intervention_types == ("interventie-maatjesproject",)
    assert p.free_only and p.walk_in_only
    assert (p.age, p.page) == (70, 2)


def test_it_parses_the_api_names_with_coordinates_and_page_size(directory):
    p = parse(
        "q=maatje&lat=52.51&lon=6.09&proximity_km=5&theme=thema-eenzaamheid,thema-armoede-schulden"
        "&free=true&walk_in=0&age=0&page=3&page_size=100",
        api=True,
    ).params
    assert (p.lat, p.lon, p.proximity_km) == (52.51, 6.09, 5)
    assert p.themes == ("thema-eenzaamheid", "thema-armoede-schulden")
    assert p.free_only and not p.walk_in_only
    assert (p.age, p.page, p.page_size) == (0, 3, 100)


def test_it_defaults_to_everything_within_ten_km(directory):
    p = parse("").params
    assert p.q == "" and not p.has_place and p.proximity_km == DEFAULT_PROXIMITY_KM
    assert p.page == 1 and not p.themes


def test_it_resolves_a_place_with_its_province(directory):
    assert parse("plaats=Hengelo (Overijssel)").place.province == "OV"


def test_it_explains_an_ambiguous_place_with_the_choices(directory):
    error = error_of("plaats=Hengelo")
    assert error.field == "plaats"
    assert "meerdere plaatsen" in error.message
    assert set(error.suggestions) == {"Hengelo (Overijssel)", "Hengelo (Gelderland)"}


def test_it_explains_an_unknown_place_with_suggestions(directory):
    error = error_of("plaats=Zwol")
    assert "kennen we niet" in error.message and error.suggestions == ["Zwolle (Overijssel)"]
    error = error_of("place=Atlantis", api=True)
    assert error.field == "place" and "kennen we niet" in error.message and not error.suggestions


def test_it_shortens_a_long_query_on_the_page_and_says_so(directory):
    parsed = parse("q=" + "eenzaam " * 125)  # 1,000 characters
    assert len(parsed.params.q) <= MAX_QUERY_LENGTH
    assert parsed.params.q.endswith("eenzaam")
    assert "erg lang" in parsed.notices[0]


def test_the_api_refuses_a_long_query(directory):
    error = error_of("q=" + "a" * 1000, api=True)
    assert error.field == "q" and "te lang" in error.message


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("afstand=7", "afstand", "5, 10, 25 of 50"),
        ("afstand=-10", "afstand", "5, 10, 25 of 50"),
        ("afstand=99999999999999999999", "afstand", "5, 10, 25 of 50"),
        ("afstand=tien", "afstand", "5, 10, 25 of 50"),
        ("leeftijd=121", "leeftijd", "0 tot en met 120"),
        ("leeftijd=-1", "leeftijd", "0 tot en met 120"),
        ("leeftijd=3.5", "leeftijd", "hele jaren"),
        ("pagina=0", "pagina", "paginanummer"),
        ("pagina=100000", "pagina", "paginanummer"),
        ("gratis=misschien", "gratis", "ja (1) of nee (0)"),
        ("thema=thema-bestaat-niet", "thema", "kennen we niet"),
        # A target-group code is no theme.
        ("thema=doelgroep-ouderen", "thema", "kennen we niet"),
        ("lat=52.5", "lon", "binnen Nederland"),
        ("lat=40.4&lon=-3.7", "lat", "binnen Nederland"),
        ("lat=NaN&lon=inf", "lat", "binnen Nederland"),
        ("lat=52.5&lon=6.1&plaats=Zwolle", "plaats", "niet allebei"),
        ("q=a&q=b", "q", "één keer"),
        ("plaats=" + "x" * 200, "plaats", "te lang"),
    ],
)
def test_each_bad_page_parameter_gets_its_message(directory, query, field, words):
    error = error_of(query)
    assert error.field == field
    assert words in error.message


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("proximity_km=1000", "proximity_km"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("target_group=onbekend", "target_group"),
        ("intervention_type=thema-armoede-schulden", "intervention_type"),
        ("walk_in=2", "walk_in"),
        ("age=200", "age"),
        ("page=-1", "page"),
    ],
)
def test_each_bad_api_parameter_names_itself(directory, query, field):
    assert error_of(query, api=True).field == field


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(
    "name",
    [
        "q",
        "plaats",
        "afstand",
        "thema",
        "doelgroep",
        "interventie",
        "gratis",
        "zonder_verwijzing",
        "leeftijd",
        "pagina",
        "lat",
        "lon",
    ],
)
def test_injection_attempts_give_a_search_or_a_message(db, name, value):
    query = QueryDict(mutable=True)
    query[name] = value
    try:
        parsed = parse_search_params(query, names=PAGE_NAMES)
    except SearchParamError as error:
        assert error.field in {name, "lat", "lon"} and error.message
    else:
        assert "\x00" not in parsed.params.q


def test_control_characters_leave_the_query(directory):
    assert parse("q=schuld%00en%0Ahulp").params.q == "schuld en hulp"


def test_too_many_codes_are_refused(directory):
    query = "&".join(f"thema=thema-{i}" for i in range(30))
    assert "hooguit" in error_of(query).message
