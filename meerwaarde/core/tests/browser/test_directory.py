"""The sociale kaart in Chromium: search, filter, open an offer, print it; keyboard, axe, CSP."""

import re

import pytest
from django.urls import reverse

from meerwaarde.directory.tests.public_data import make_directory

from .helpers import assert_tab_reaches_everything, tab_to

pytestmark = pytest.mark.browser
SEARCH = reverse("directory:search")


@pytest.fixture
def directory(transactional_db):
    return make_directory()


def _wait_for_results(page, part: str) -> None:
    page.wait_for_url(re.compile(re.escape(part)))
    page.locator("#h-resultaten").wait_for()


def test_search_filter_open_and_print_an_offer(watch, directory):
    page = watch.page
    watch.visit(SEARCH)  # every public offer, with facets and the map
    page.get_by_label("Wat zoekt u?").fill("schulden")
    place = page.get_by_label("Plaats")
    with page.expect_response(lambda r: reverse("directory:place_options") in r.url) as answer:
        place.press_sequentially("Zwo")
    assert "Zwolle (Overijssel)" in answer.value.text()
    assert page.locator("#places-datalist option").first.get_attribute("value") == (
        "Zwolle (Overijssel)"
    )
    place.fill("Zwolle (Overijssel)")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    _wait_for_results(page, "q=schulden")
    assert page.locator("mark", has_text="schulden").first.is_visible()
    assert page.locator(".mw-map [data-number='1']").count() >= 1
    watch.check()

    # A filter with its count; htmx swaps the results and keeps the address shareable.
    page.get_by_label(re.compile(r"^Gratis \(\d+\)$")).check()
    page.get_by_role("button", name="Filters toepassen").click()
    _wait_for_results(page, "gratis=1")
    assert "q=schulden" in page.url
    watch.check(axe=False)

    page.get_by_role("link", name="Schuldhulpmaatje Zwolle").click()
    page.wait_for_url("**" + reverse("directory:offer", args=[directory.debt_buddy_offer.pk]))
    assert page.get_by_role("heading", level=1, name="Schuldhulpmaatje Zwolle").is_visible()
    assert page.get_by_role("link", name="038 123 45 67").get_attribute("href") == "tel:0381234567"
    watch.check()

    page.get_by_role("link", name="Folder voor de cliënt afdrukken").click()
    page.wait_for_url("**/afdrukken/")
    watch.check()
    assert page.locator("nav, header.utrecht-page-header, footer.utrecht-page-footer").count() == 0
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    )
    assert size >= 14 * 4 / 3  # 14pt in CSS pixels
    page.emulate_media(media="screen")


def test_no_results_and_bad_input_explain_themselves(watch, directory):
    page = watch.page
    watch.visit(
        SEARCH + "?q=eenzaamheid&plaats=Zwolle&afstand=5&gratis=1&doelgroep=doelgroep-ouderen"
    )
    assert page.get_by_text("Geen resultaten gevonden.").is_visible()
    assert page.get_by_role("link", name="Zoek binnen 10 km").is_visible()
    assert page.get_by_role("link", name="Zoek zonder filters").is_visible()
    watch.visit(SEARCH + "?plaats=Hengelo")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_role("link", name="Hengelo (Gelderland)").is_visible()
    assert page.get_by_label("Plaats").get_attribute("aria-invalid") == "true"
    watch.visit(SEARCH + "?afstand=999", axe=False)
    assert page.get_by_role("alert").get_by_text("Kies een afstand van 5, 10, 25 of 50 km.").count()


def test_the_search_works_without_javascript(browser, live_server, directory):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(SEARCH)
        page.get_by_label("Wat zoekt u?").fill("eenzaamheid")
        page.get_by_label("Plaats").fill("Zwolle")
        page.get_by_label("Afstand").select_option("50")
        page.get_by_role("button", name="Zoeken", exact=True).click()
        page.wait_for_url(re.compile("q=eenzaamheid"))
        assert page.get_by_role("link", name="Buurtkamer Deventer").is_visible()
        page.goto(reverse("directory:offer_print", args=[directory.elderly_offer.pk]))
        assert page.get_by_text("Afdrukken kan ook met Ctrl+P").is_visible()
    finally:
        context.close()


def test_everything_works_with_the_keyboard_alone(watch, directory):
    page = watch.page
    watch.visit(SEARCH + "?q=maatje", axe=False)
    assert_tab_reaches_everything(page)
    page.goto(SEARCH)
    tab_to(page, "#id_q")
    page.keyboard.type("eenzaamheid")
    page.keyboard.press("Enter")
    _wait_for_results(page, "q=eenzaamheid")
    tab_to(page, f"a[href='{reverse('directory:offer', args=[directory.elderly_offer.pk])}']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/aanbod/*/")
    assert_tab_reaches_everything(page)
    tab_to(page, "a[href$='/afdrukken/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/afdrukken/")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }")
    tab_to(page, "[data-print]")
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.__printed") == 1
    watch.check(axe=False)


def test_the_api_docs_load_from_our_own_files(watch, directory):
    page = watch.page
    with page.expect_response(lambda r: reverse("api-schema") in r.url):
        watch.visit(reverse("api-docs"), axe=False)
    page.get_by_text("/api/v1/directory/services", exact=True).first.wait_for()
    watch.check()
    page.get_by_text("/api/v1/directory/services", exact=True).first.click()  # the parameters
    page.get_by_text("proximity_km", exact=True).wait_for()
    watch.check()
