// Swagger UI leaves a few things out that screen-reader and keyboard users need (WCAG 2.1):
// names for its parameter fields, and keyboard access to its scrolling code examples.
// It renders with React, so we follow its changes instead of patching its code.
"use strict";

const mwLabelSwagger = (root) => {
  for (const row of root.querySelectorAll("tr[data-param-name]")) {
    for (const field of row.querySelectorAll("select, input, textarea")) {
      if (!field.labels?.length && !field.getAttribute("aria-label")) {
        field.setAttribute("aria-label", row.dataset.paramName);
      }
    }
  }
  for (const block of root.querySelectorAll(".microlight, .highlight-code pre")) {
    if (!block.hasAttribute("tabindex")) {
      block.setAttribute("tabindex", "0");
    }
  }
};

new MutationObserver(() => mwLabelSwagger(document)).observe(document.documentElement, {
  childList: true,
  subtree: true,
});
