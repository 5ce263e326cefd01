"""The pages run under the strict Content-Security-Policy without a single violation.

Every visit of the browser tests already fails on a console error, a CSP violation or an axe
finding; these tests show that the policy is really sent and enforced and that both alarms
really go off, so that their silence means something.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def _directives(header: str) -> dict[str, list[str]]:
    parts = (directive.split() for directive in header.split(";"))
    return {part[0]: part[1:] for part in parts if part}


def test_every_page_sends_the_strict_policy_and_violates_none_of_it(watch, login, cast, org_a):
    page = watch.page
    responses = []
    page.on("response", lambda response: responses.append(response))
    watch.visit(reverse("core:home"), axe=False)
    watch.visit(reverse("accounts:login"), axe=False)
    login(cast["org_admin"])
    for name in ["detail", "edit", "members", "invite"]:
        watch.visit(reverse(f"organisations:{name}", kwargs={"slug": org_a.slug}), axe=False)
    watch.visit("/bestaat-niet/", status=404, axe=False)

    # htmx is a script from our own origin: it runs.
    assert page.evaluate("() => typeof htmx") == "object"
    documents = [r for r in responses if r.request.resource_type == "document"]
    assert len(documents) >= 8
    for response in documents:
        policy = _directives(response.header_value("content-security-policy") or "")
        scripts = policy.get("script-src", [])
        assert "'self'" in scripts, response.url
        assert all(s == "'self'" or s.startswith("'nonce-") for s in scripts), scripts
        assert policy.get("object-src") == ["'none'"] and policy.get("style-src") == ["'self'"]


def test_it_would_notice_a_script_the_policy_blocks(watch):
    """The alarm works: an inline script without the nonce is blocked and reported."""
    page = watch.page
    watch.visit(reverse("core:home"), axe=False)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__mwInjected = true";
          document.body.append(script);
        }"""
    )
    for _ in range(20):  # the violation report arrives asynchronously
        if watch.csp_violations:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => window.__mwInjected") is None
    with pytest.raises(AssertionError, match="script-src"):
        watch.assert_clean()


def test_axe_would_notice_a_violation(watch):
    """The other alarm works too: an image without alternative text fails the page."""
    page = watch.page
    watch.visit(reverse("core:home"))
    page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.src = "/static/favicon.svg";
          document.querySelector("main").append(img);
        }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        watch.assert_accessible()
