"""The results map: an SVG drawn on the server in Web Mercator, which needs no internet.

Numbered markers match the numbers of the result list, the searched place has its own marker
and the search radius a circle; a scale bar tells the distance. Without a tile server there
is no background at all (the map must work offline); with ``settings.DIRECTORY_TILE_URL``
the tiles behind the markers are computed here and placed as ``<image>`` elements, so the
page still runs no JavaScript. The map is hidden from screen readers: the numbered list next
to it carries the same information.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TILE_SIZE = 256
# Metres per pixel at the equator at zoom 0 for 256-pixel tiles (WGS 84 circumference / 256).
_METRES_PER_PIXEL_Z0 = 156_543.033_92
_KM_PER_DEGREE_LAT = 111.32
_MAX_ZOOM = 16
_SINGLE_POINT_ZOOM = 13
_SCALE_STEPS_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200)


@dataclass(frozen=True)
class MapMarker:
    number: int  # the number of the result in the list
    lat: float
    lon: float


@dataclass(frozen=True)
class MapCentre:
    lat: float
    lon: float
    label: str
    radius_km: float | None = None


def world_xy(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at ``zoom`` (the whole world is 256·2^zoom)."""
    size = TILE_SIZE * 2**zoom
    sin_lat = min(max(math.sin(math.radians(lat)), -0.9999), 0.9999)
    x = (lon + 180.0) / 360.0 * size
    y = (0.5 - math.log((1 + sin_lat) / (1 - sin_lat)) / (4 * math.pi)) * size
    return x, y


def metres_per_pixel(lat: float, zoom: int) -> float:
    return _METRES_PER_PIXEL_Z0 * math.cos(math.radians(lat)) / 2**zoom


def _bounds(markers: Sequence[MapMarker], centre: MapCentre | None) -> list[tuple[float, float]]:
    points = [(m.lat, m.lon) for m in markers]
    if centre is not None:
        points.append((centre.lat, centre.lon))
        if centre.radius_km:
            dlat = centre.radius_km / _KM_PER_DEGREE_LAT
            dlon = centre.radius_km / (_KM_PER_DEGREE_LAT * math.cos(math.radians(centre.lat)))
            points += [
                (centre.lat + dlat, centre.lon),
                (centre.lat - dlat, centre.lon),
                (centre.lat, centre.lon + dlon),
                (centre.lat, centre.lon - dlon),
            ]
    return points


def _zoom_to_fit(points: list[tuple[float, float]], width: int, height: int, pad: int) -> int:
    if len({(round(lat, 5), round(lon, 5)) for lat, lon in points}) == 1:
        return _SINGLE_POINT_ZOOM
    for zoom in range(_MAX_ZOOM, -1, -1):
        xy = [world_xy(lat, lon, zoom) for lat, lon in points]
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        if max(xs) - min(xs) <= width - 2 * pad and max(ys) - min(ys) <= height - 2 * pad:
            return zoom
    return 0


def _scale_km(lat: float, zoom: int, width: int) -> tuple[float, float]:
    """A round distance about a fifth of the map wide, and its length in pixels."""
    mpp = metres_per_pixel(lat, zoom)
    target_km = mpp * width / 5 / 1000
    km = next((s for s in reversed(_SCALE_STEPS_KM) if s <= target_km), _SCALE_STEPS_KM[0])
    return km, km * 1000 / mpp


def tile_url(template: str, zoom: int, x: int, y: int) -> str:
    return (
        template.replace("{z}", str(zoom))
        .replace("{x}", str(x))
        .replace("{y}", str(y))
        .replace("{s}", "a")
    )


def _tiles(template: str, zoom: int, left: float, top: float, width: int, height: int) -> list[str]:
    count = 2**zoom
    parts = []
    rows = range(max(0, int(top // TILE_SIZE)), min(count, int((top + height) // TILE_SIZE) + 1))
    for ty in rows:
        for tx in range(int(left // TILE_SIZE), int((left + width) // TILE_SIZE) + 1):
            href = escape(tile_url(template, zoom, tx % count, ty))
            parts.append(
                f'<image href="{href}" x="{tx * TILE_SIZE - left:.1f}" '
                f'y="{ty * TILE_SIZE - top:.1f}" width="{TILE_SIZE}" height="{TILE_SIZE}"/>'
            )
    return parts


def results_map(
    *,
    markers: Sequence[MapMarker],
    centre: MapCentre | None = None,
    tile_template: str = "",
    attribution: str = "",
    width: int = 640,
    height: int = 400,
) -> SafeString | None:
    """The SVG of the results, or None when there is nothing to put on a map."""
    points = _bounds(markers, centre)
    if not points:
        return None
    pad = 24
    zoom = _zoom_to_fit(points, width, height, pad)
    xy = [world_xy(lat, lon, zoom) for lat, lon in points]
    mid_x = (min(p[0] for p in xy) + max(p[0] for p in xy)) / 2
    mid_y = (min(p[1] for p in xy) + max(p[1] for p in xy)) / 2
    left, top = mid_x - width / 2, mid_y - height / 2

    def at(lat: float, lon: float) -> tuple[float, float]:
        x, y = world_xy(lat, lon, zoom)
        return x - left, y - top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mw-map" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-hidden="true" focusable="false">',
        f'<rect class="mw-map__land" width="{width}" height="{height}" fill="#eef3f1"/>',
    ]
    if tile_template:
        parts.append('<g class="mw-map__tiles">')
        parts += _tiles(tile_template, zoom, left, top, width, height)
        parts.append("</g>")
    if centre is not None:
        cx, cy = at(centre.lat, centre.lon)
        if centre.radius_km:
            radius = centre.radius_km * 1000 / metres_per_pixel(centre.lat, zoom)
            parts.append(
                f'<circle class="mw-map__radius" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
                'fill="#1d5c8f" fill-opacity="0.08" stroke="#1d5c8f" stroke-width="2" '
                'stroke-dasharray="6 4"/>'
            )
        parts.append(
            f'<g class="mw-map__place" transform="translate({cx:.1f} {cy:.1f})">'
            '<rect x="-7" y="-7" width="14" height="14" transform="rotate(45)" '
            'fill="#b3261e" stroke="#fff" stroke-width="2"/>'
            f'<text x="12" y="-10" font-size="14" font-weight="700" fill="#1a1a1a" '
            f'stroke="#fff" stroke-width="3" paint-order="stroke">{escape(centre.label)}</text></g>'
        )
    # Drawn from last to first, so the best results lie on top where markers overlap.
    for marker in sorted(markers, key=lambda m: -m.number):
        mx, my = at(marker.lat, marker.lon)
        parts.append(
            f'<g class="mw-map__marker" data-number="{marker.number}" '
            f'transform="translate({mx:.1f} {my:.1f})">'
            '<circle r="12" fill="#1d4f91" stroke="#fff" stroke-width="2"/>'
            '<text y="4.5" text-anchor="middle" font-size="12" font-weight="700" fill="#fff">'
            f"{marker.number}</text></g>"
        )
    lat_for_scale = centre.lat if centre is not None else points[0][0]
    km, length = _scale_km(lat_for_scale, zoom, width)
    label = number_format(km, decimal_pos=1 if km < 1 else 0)
    parts.append(
        f'<g class="mw-map__scale" transform="translate(16 {height - 16})">'
        f'<rect x="-6" y="-26" width="{length + 12:.1f}" height="32" fill="#fff" '
        'fill-opacity="0.85"/>'
        f'<path d="M0 -6 V0 H{length:.1f} V-6" fill="none" stroke="#1a1a1a" stroke-width="2"/>'
        f'<text y="-10" font-size="12" fill="#1a1a1a">{label} km</text></g>'
    )
    if tile_template and attribution:
        parts.append(
            f'<text class="mw-map__attribution" x="{width - 6}" y="{height - 6}" '
            'text-anchor="end" font-size="11" fill="#1a1a1a" stroke="#fff" stroke-width="3" '
            f'paint-order="stroke">{escape(attribution)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text and URL escaped above
