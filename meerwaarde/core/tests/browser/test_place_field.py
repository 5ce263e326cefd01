"""The place field in the browser: it shows the saved place and suggests places while typing."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_the_edit_form_shows_the_saved_place_and_saves_unchanged(watch, login, cast, org_a):
    page = watch.page
    login(cast["org_admin"])
    watch.visit(reverse("organisations:edit", kwargs={"slug": org_a.slug}))
    assert page.get_by_label("Plaats").input_value() == "Zwolle (Overijssel)"
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**" + reverse("organisations:detail", kwargs={"slug": org_a.slug}))
    watch.check()


def test_it_suggests_places_while_typing_under_the_strict_csp(watch, login, cast, org_a):
    page = watch.page
    login(cast["org_admin"])
    watch.visit(reverse("organisations:edit", kwargs={"slug": org_a.slug}))
    place = page.get_by_label("Plaats")
    place.fill("")
    with page.expect_response(lambda r: reverse("places:autocomplete") in r.url) as response:
        place.press_sequentially("Heng")
    assert "Hengelo (Gelderland)" in response.value.text(), "geen suggesties van de server"
    options = page.locator("#places-datalist option")
    options.nth(1).wait_for(state="attached")
    labels = options.evaluate_all("options => options.map(o => o.value)")
    assert labels == ["Hengelo (Overijssel)", "Hengelo (Gelderland)"]
    watch.check()
