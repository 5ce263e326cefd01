"""What every browser test checks on a page: axe-core, the console, CSP and the keyboard."""

import re
from dataclasses import dataclass, field

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ACTIVE_MATCHES = "(selector) => !!document.activeElement?.matches(selector)"

# Chromium logs a failed main document ("status of 404") as a console error; a visit that
# expects that status says so, and only that message is let through.
_STATUS_MESSAGE = re.compile(r"Failed to load resource: .* status of (\d+)")

# Reports CSP violations to Python through a binding; CDP init scripts are not subject to CSP.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__mwCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` on ${document.location.pathname}`);
});
"""

# What makes focus visible: an outline, or a box-shadow that has a size and a colour.
_STYLE = """(el) => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1
    && !/rgba\\([^)]*, 0\\)/.test(s.outlineColor);
  const shadows = s.boxShadow === "none" ? [] : s.boxShadow.split(/,(?![^(]*\\))/)
    .filter((part) => !/rgba\\([^)]*, 0\\)|transparent/.test(part)
      && /[1-9]/.test(part.replace(/rgba?\\([^)]*\\)/g, "")));
  return {outline: outline ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "",
          shadow: shadows.join(", ")};
}"""

# Everything a keyboard user should be able to reach, marked with its place in the document.
_INTERACTIVE = """() => {
  const style = __STYLE__;
  const candidates = document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]");
  return [...candidates]
    .filter((el) => !el.disabled && el.type !== "hidden" && el.tabIndex >= 0
      && el.checkVisibility({visibilityProperty: true}) && !el.closest("[inert]"))
    // A radio group is one Tab stop: its checked button, or the first when none is.
    .filter((el) => {
      if (el.type !== "radio") return true;
      const scope = el.form || document;
      const group = [...scope.querySelectorAll(`input[type=radio][name="${el.name}"]`)];
      return el === (group.find((r) => r.checked) || group[0]);
    })
    .map((el, i) => {
      el.dataset.mwTab = String(i);
      const name = (el.getAttribute("aria-label") || el.labels?.[0]?.textContent
        || el.textContent || el.name || el.id || "").trim().replace(/\\s+/g, " ");
      return {tab: String(i), name: `<${el.tagName.toLowerCase()}> ${name}`.slice(0, 80),
              unfocused: style(el)};
    });
}""".replace("__STYLE__", _STYLE)

_ACTIVE = """() => {
  const style = __STYLE__;
  const el = document.activeElement;
  if (!el || el === document.body || !el.dataset.mwTab) return null;
  return {tab: el.dataset.mwTab, focused: style(el)};
}""".replace("__STYLE__", _STYLE)


@dataclass
class PageWatch:
    """Wraps a Playwright page: ``visit()`` a path, then every check runs on what loaded."""

    page: object
    axe_source: str
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    expected_statuses: set[tuple[str, int]] = field(default_factory=set)

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


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_MATCHES, selector):
            return
    raise AssertionError(f"{selector} is met Tab niet te bereiken op {page.url}")


def assert_tab_reaches_everything(page) -> None:
    """Every visible interactive element gets the focus with Tab, with a visible indicator."""
    elements = {e["tab"]: e for e in page.evaluate(_INTERACTIVE)}
    assert elements
    reached: dict[str, dict] = {}
    for _ in range(len(elements) * 4 + 10):  # date fields take a Tab per part
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE)
        if active is None:
            if reached:
                break  # left the page after the last element
            continue
        reached.setdefault(active["tab"], active["focused"])
    missing = [elements[tab]["name"] for tab in elements if tab not in reached]
    assert not missing, f"niet met Tab te bereiken op {page.url}: {missing}"
    invisible = [
        elements[tab]["name"]
        for tab, focused in reached.items()
        if focused == elements[tab]["unfocused"] or not (focused["outline"] or focused["shadow"])
    ]
    assert not invisible, f"geen zichtbare focus op {page.url}: {invisible}"


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
