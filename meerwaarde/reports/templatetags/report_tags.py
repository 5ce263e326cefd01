"""Charts in a report: inline SVG on the page (ids made unique per section), an image with a
text alternative in the PDF (WeasyPrint tags it as a figure with that alternative)."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from meerwaarde.reports.rendering import svg_data_uri

register = template.Library()

_ID_ATTRIBUTES = re.compile(r'\b(id|aria-labelledby)="([^"]*)"')


@register.filter
def svg_uri(svg: str) -> str:
    return svg_data_uri(str(svg))


@register.filter
def svg_ids(svg: str, prefix: str) -> SafeString:
    """The chart with every id (and reference to one) prefixed, for several on one page."""
    if not prefix:
        return mark_safe(svg)  # noqa: S308 - the chart's SVG, escaped when drawn

    def rename(match: re.Match) -> str:
        ids = " ".join(f"{prefix}-{value}" for value in match.group(2).split())
        return f'{match.group(1)}="{ids}"'

    return mark_safe(_ID_ATTRIBUTES.sub(rename, str(svg)))  # noqa: S308 - as above
