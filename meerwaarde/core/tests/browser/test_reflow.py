"""Reflow (WCAG 1.4.10, which axe-core does not test): at 320 CSS pixels nothing scrolls sideways.

Data tables are the exception WCAG allows; they scroll inside their own container.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => !el.closest(".utrecht-table-container") && el.checkVisibility())
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : ""))
    .slice(0, 10);
}"""


def _pages(role: str, org_slug: str) -> list[str]:
    org = {"slug": org_slug}
    return {
        "anonymous": [
            reverse("core:home"),
            reverse("accounts:login"),
            reverse("vocabulary:scheme_list") + "?q=maatje",
            reverse("vocabulary:scheme_detail", kwargs={"scheme": "target_groups"}),
        ],
        "org_admin": [
            reverse("core:dashboard"),
            reverse("organisations:edit", kwargs=org),
            reverse("organisations:members", kwargs=org),
            reverse("vocabulary:mapping_list", kwargs={"org_slug": org_slug}),
            reverse("vocabulary:mapping_create", kwargs={"org_slug": org_slug})
            + "?local_name=Taalmaatje",
        ],
        "platform_admin": [
            reverse("organisations:list"),
            reverse("organisations:create"),
            reverse("vocabulary:curation"),
            reverse("vocabulary:concept_create"),
        ],
    }[role]


@pytest.mark.parametrize("role", ["anonymous", "org_admin", "platform_admin"])
def test_the_pages_reflow_at_320_pixels(watch, login, cast, org_a, vocabulary, role):
    page = watch.page
    page.set_viewport_size({"width": 320, "height": 640})
    if role != "anonymous":
        login(cast[role])
    for path in _pages(role, org_a.slug):
        watch.visit(path, axe=False)
        overflow = page.evaluate(_OVERFLOW)
        assert overflow == [], f"{path} is breder dan 320 pixels door: {overflow}"
