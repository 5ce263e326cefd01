"""What every browser test checks on a page: axe-core, the console and CSP violations."""

import re
from dataclasses import dataclass, field
from functools import cache

from django.urls import NoReverseMatch, reverse

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Chromium logs a failed main document ("status of 404") as a console error; a visit that
# expects that status says so, and only that message is let through.
# Menu entries that lead into the vocabulary app (see meerwaarde/core/navigation.py).
VOCABULARY_MENU = {"vocabulary", "curation", "mappings"}


@cache
def vocabulary_ready() -> bool:
    """Whether the vocabulary app has its real pages yet, not the placeholder routes."""
    try:
        reverse("vocabulary:concept_detail", kwargs={"code": "X"})
    except NoReverseMatch:
        return False
    return True


_STATUS_MESSAGE = re.compile(
    r"Failed to load resource: the server responded with a status of (\d+)"
)

# Reports CSP violations to Python through a binding; CDP init scripts are not subject to CSP.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__mwCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` on ${document.location.pathname}`);
});
"""

_FOCUS_STYLE = """(el) => {
  const s = getComputedStyle(el);
  return {outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1
            ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "",
          shadow: s.boxShadow === "none" ? "" : s.boxShadow};
}"""


@dataclass
class PageWatch:
    """Wraps a Playwright page: ``visit()`` a path, then every check runs on what loaded."""

    page: object
    axe_source: str
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    expected_statuses: set[tuple[str, int]] = field(default_factory=set)
    checked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        self.page.expose_function("__mwCspViolation", self._on_csp_violation)
        self.page.add_init_script(_CSP_LISTENER)

    def _on_csp_violation(self, report: str) -> None:
        self.csp_violations.append(report)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        status = _STATUS_MESSAGE.search(message.text)
        url = message.location.get("url", "")
        if status and (url, int(status.group(1))) in self.expected_statuses:
            return
        self.console_errors.append(f"{message.text} ({url})")

    def visit(self, path: str, *, status: int = 200, axe: bool = True):
        """Open ``path``, assert the HTTP status, then check axe, console and CSP."""
        url = path if path.startswith("http") else self.base_url + path
        self.expected_statuses.add((url, status))
        response = self.page.goto(path)
        assert response is not None and response.status == status, (
            f"{path}: status {response and response.status}, verwacht {status}"
        )
        self.check(axe=axe)
        return self.page

    def check(self, *, axe: bool = True) -> None:
        """Check the page as it is now (after a visit, a form post or a keyboard action)."""
        if axe:
            self.assert_accessible()
        self.assert_clean()
        self.checked.append(self.page.url)

    def expect_status(self, status: int) -> None:
        """Before an action that ends on ``status``: accept Chromium's console line for it."""
        self.expected_statuses.add((self.page.url, status))

    def assert_accessible(self) -> None:
        page = self.page
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_source)
        result = page.evaluate(
            """async (tags) => await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
            AXE_TAGS,
        )
        violations = result["violations"]
        assert not violations, f"axe-core op {page.url}:\n" + format_violations(violations)

    def assert_clean(self) -> None:
        # Console events arrive asynchronously; a no-op round trip lets them in first.
        self.page.evaluate("() => 0")
        errors, violations = list(self.console_errors), list(self.csp_violations)
        self.console_errors.clear()
        self.csp_violations.clear()
        assert not violations, "CSP-schendingen:\n" + "\n".join(violations)
        assert not errors, f"Console-fouten op {self.page.url}:\n" + "\n".join(errors)

    def focus_styles(self, selector_or_handle) -> dict:
        return self.page.evaluate(_FOCUS_STYLE, selector_or_handle)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … en nog {len(violation['nodes']) - 5}")
    return "\n".join(lines)
