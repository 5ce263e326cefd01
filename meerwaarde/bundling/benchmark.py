"""An organisation's outcomes against the sector's distribution: a funnel plot per scale.

Per rankable scale (never Positieve Gezondheid, never GAS, whose goals differ per person):
every social work organisation's number of pairs and mean change, from the offer rows of
``OutcomeSums`` summed per organisation in one grouped query. Other organisations are
anonymous dots; those whose figures suppress() hides are not drawn. The viewer knows its own
figures, so the sector without the own organisation counts as published when suppressing.
"""

import datetime
import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Sum
from django.utils.translation import gettext as _

from meerwaarde.analysis import stats
from meerwaarde.analysis.constants import Scope
from meerwaarde.analysis.formatting import num, signed
from meerwaarde.analysis.models import OutcomeSums
from meerwaarde.analysis.presentation import Chart, Table
from meerwaarde.bundling import charts
from meerwaarde.bundling.sector import ScaleInfo, _scale_infos
from meerwaarde.bundling.suppression import Cell, k_threshold, suppress
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation

_PCT = {"pct": "95%"}
_PCT_998 = {"pct": "99,8%"}
_SUMS = ("n", "sum_x1", "sum_x1_sq", "sum_x2", "sum_x2_sq", "sum_d", "sum_d_sq")


@dataclass(frozen=True)
class Comparison:
    scale: ScaleInfo
    own: stats.PairedResult
    points: tuple[charts.FunnelPoint, ...]  # the other organisations drawn, anonymous
    not_drawn: int  # organisations with pairs whose figures are hidden
    centre: float  # the sector's mean change (all pairs)
    sd: float  # the sector's SD of change
    quartiles: tuple[float, float, float] | None  # of the drawn organisations' means

    @property
    def organisations(self) -> int:
        return len(self.points) + 1

    @property
    def position(self) -> str:
        """Where the own organisation lies against the 95% and 99.8% limits, in words."""
        mean = self.own.mean_change
        if mean is None or self.sd <= 0:
            return _("niet te bepalen")
        z = (mean - self.centre) / (self.sd / math.sqrt(self.own.n))
        favourable = (z > 0) == self.scale.higher_is_better
        if abs(z) <= charts.Z_95:
            return _("binnen de %(pct)s-grenzen: niet duidelijk anders dan de sector") % _PCT
        if abs(z) <= charts.Z_998:
            return (
                _("buiten de %(pct)s-grenzen, gunstiger dan de sector")
                if favourable
                else _("buiten de %(pct)s-grenzen, ongunstiger dan de sector")
            ) % _PCT
        return (
            _("buiten de %(pct)s-grenzen, duidelijk gunstiger dan de sector")
            if favourable
            else _("buiten de %(pct)s-grenzen, duidelijk ongunstiger dan de sector")
        ) % _PCT_998


def organisation_benchmark(
    *,
    organisation: Organisation,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    k: int | None = None,
) -> list[Comparison]:
    """The comparisons for every rankable scale the organisation has pairs on."""
    k = k or k_threshold()
    rows = OutcomeSums.objects.filter(
        scope=Scope.OFFER,
        instrument__organisation__isnull=True,
        organisation__kind=OrganisationKind.SOCIAL_WORK,
    )
    if start is not None:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end is not None:
        rows = rows.filter(month__lte=end.replace(day=1))
    grouped = list(
        rows.order_by()
        .values_list("organisation_id", "instrument_id", "scale")
        .annotate(*(Sum(name) for name in _SUMS))
    )
    own_keys = {(r[1], r[2]) for r in grouped if r[0] == organisation.pk and r[3]}
    scales = [s for s in _scale_infos(own_keys) if s.rankable and not s.gas]
    by_scale: dict[tuple[int, str], list[tuple]] = {}
    for row in grouped:
        by_scale.setdefault((row[1], row[2]), []).append(row)
    comparisons = []
    for scale in scales:
        members = by_scale[(scale.instrument_id, scale.code)]
        own_row = next(r for r in members if r[0] == organisation.pk)
        own = stats.paired_result(stats.PairedSums(int(own_row[3]), *own_row[4:]))
        others = [r for r in members if r[0] != organisation.pk and r[3]]
        cells = [Cell(key=r[0], count=int(r[3]), members=frozenset({r[0]})) for r in others]
        if others:
            cells.append(
                Cell(
                    key="rest",
                    count=sum(int(r[3]) for r in others),
                    members=frozenset(r[0] for r in others),
                    margin=True,
                )
            )
        hidden = suppress(cells, k=k)
        drawn = [r for r in others if r[0] not in hidden]
        total_n = sum(int(r[3]) for r in members)
        sum_d = sum(r[8] for r in members)
        sum_d_sq = sum(r[9] for r in members)
        centre = sum_d / total_n
        sd = math.sqrt(max(sum_d_sq - sum_d * sum_d / total_n, 0.0) / max(total_n - 1, 1))
        points = tuple(
            sorted(charts.FunnelPoint(int(r[3]), r[8] / r[3]) for r in drawn)
        )  # by size: the order says nothing about who is who
        means = [p.value for p in points]
        if own.mean_change is not None and own.n >= k:
            means.append(own.mean_change)
        quartiles = (
            tuple(float(q) for q in np.quantile(means, [0.25, 0.5, 0.75])) if means else None
        )
        comparisons.append(
            Comparison(
                scale=scale,
                own=own,
                points=points,
                not_drawn=len(others) - len(drawn),
                centre=centre,
                sd=sd,
                quartiles=quartiles,  # type: ignore[arg-type]
            )
        )
    return comparisons


def funnel_chart(comparison: Comparison) -> Chart:
    scale = comparison.scale
    what = f"{scale.instrument}: {scale.label}"
    own = comparison.own
    summary = _(
        "Bij %(n)s deelnemers van uw organisatie veranderde ‘%(scale)s’ gemiddeld met "
        "%(own)s; in de sector met %(centre)s. Dat ligt %(position)s."
    ) % {
        "n": num(own.n),
        "scale": what,
        "own": signed(own.mean_change),
        "centre": signed(comparison.centre),
        "position": comparison.position,
    }
    summary += " " + (
        _("Hier is een hogere score gunstig.")
        if scale.higher_is_better
        else _("Hier is een lagere score gunstig.")
    )
    caption = _("%(scale)s: gemiddelde verandering per organisatie tegen het aantal deelnemers") % {
        "scale": what
    }
    chart_id = f"trechter-{scale.instrument_id}-{scale.code}"
    svg = charts.funnel_chart(
        chart_id=chart_id,
        title=caption,
        description=summary,
        points=comparison.points,
        own=charts.FunnelPoint(own.n, own.mean_change) if own.mean_change is not None else None,
        centre=comparison.centre,
        sd=comparison.sd,
        own_label=_("Uw organisatie"),
        x_label=_("Aantal deelnemers met een begin- en eindmeting"),
        y_label=_("Gemiddelde verandering"),
        limit_labels=(_("%(pct)s-grenzen") % _PCT, _("%(pct)s-grenzen") % _PCT_998),
    )
    q = comparison.quartiles
    rows = [
        (_("Deelnemers van uw organisatie"), num(own.n)),
        (_("Gemiddelde verandering bij uw organisatie"), signed(own.mean_change)),
        (
            _("%(pct)s-interval bij uw organisatie") % _PCT,
            _("%(low)s tot %(high)s") % {"low": signed(own.ci_low), "high": signed(own.ci_high)},
        ),
        (_("Gemiddelde verandering in de sector"), signed(comparison.centre)),
        (_("Eerste kwartiel van de organisaties"), signed(q[0]) if q else "–"),
        (_("Mediaan van de organisaties"), signed(q[1]) if q else "–"),
        (_("Derde kwartiel van de organisaties"), signed(q[2]) if q else "–"),
        (_("Organisaties in de grafiek (met de uwe)"), num(comparison.organisations)),
        (_("Organisaties met te weinig deelnemers (niet getekend)"), num(comparison.not_drawn)),
    ]
    table = Table(
        caption=_("%(scale)s: uw organisatie en de verdeling in de sector") % {"scale": what},
        columns=(_("Cijfer"), _("Waarde")),
        rows=tuple(rows),
    )
    return Chart(chart_id, svg, caption, summary, table, stats.is_small(own.n))
