"""From figures to what the dashboard shows: a chart, a caption, a Dutch summary and the table
behind each. The CSV downloads are built from the very same tables, so a download always holds
what the page showed, with the same filters.
"""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meerwaarde.analysis import charts
from meerwaarde.analysis.formatting import month_label, num, pct, short_month, signed
from meerwaarde.analysis.selectors import (
    CategoryMovement,
    Figures,
    GasFigures,
    InstrumentFigures,
    ScaleFigures,
)
from meerwaarde.bundling.suppression import HIDDEN

CSV_TABLES = ("activiteit", "uitkomsten", "verschuivingen", "gas")
# Kept out of the msgids: a bare "%" in a translatable string reads as a format directive.
_PCT = {"pct": "95%"}


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first cell of a row heads it

    @property
    def body(self) -> list[tuple[str, list[tuple[str, bool]]]]:
        """Rows as (head, [(text, is a number)]), so numbers can be aligned on the page."""
        return [(row[0], [(cell, _is_number(cell)) for cell in row[1:]]) for row in self.rows]


def _is_number(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or (text[0] in "+-" and text[1:2].isdigit()))


@dataclass(frozen=True)
class Chart:
    id: str
    svg: SafeString
    caption: str
    summary: str
    table: Table
    uncertain: bool = False


@dataclass(frozen=True)
class InstrumentSection:
    figures: InstrumentFigures
    chart: Chart
    movements: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    activity: Chart | None
    instruments: list[InstrumentSection]
    gas: Chart | None


def _uncertain(small: bool) -> str:
    return _("onzeker (minder dan 20 deelnemers)") if small else ""


def effect_size_words(d_z: float | None) -> str:
    """Cohen's rule of thumb, for |d|: 0,2 small, 0,5 medium, 0,8 large."""
    if d_z is None:
        return ""
    size = abs(d_z)
    if size < 0.2:
        return _("verwaarloosbaar")
    if size < 0.5:
        return _("klein")
    if size < 0.8:
        return _("middelgroot")
    return _("groot")


# Activity ---------------------------------------------------------------------------------


def _activity_table(figures: Figures) -> Table:
    rows = tuple(
        (
            month_label(m.month),
            num(m.offers_reporting),
            num(m.meetings_held),
            num(m.participants_reached),
            num(m.new_participants),
            num(m.active_volunteers),
            num(float(m.volunteer_hours)),
            num(_sum(m.referrals_in)),
            num(_sum(m.referrals_out)),
            num(_sum(m.early_signals)),
        )
        for m in figures.activity
    )
    return Table(
        caption=_("Bereik en activiteiten per maand"), columns=_activity_columns(), rows=rows
    )


def _sum(counts: dict[str, int]) -> int:
    """A month's counts by source or theme, or HIDDEN when shared figures hide them."""
    return counts if counts is HIDDEN else sum(counts.values())  # type: ignore[return-value]


def _shown(value: int) -> int | None:
    """A hidden value has no bar (not a bar of 0)."""
    return None if value is HIDDEN else value


def _activity_columns() -> tuple[str, ...]:
    return (
        _("Maand"),
        _("Aanbod dat invulde"),
        _("Bijeenkomsten of contacten"),
        _("Deelnemers bereikt"),
        _("Nieuwe deelnemers"),
        _("Actieve vrijwilligers"),
        _("Uren van vrijwilligers"),
        _("Naar ons verwezen"),
        _("Door ons doorverwezen"),
        _("Vroegsignalen"),
    )


def _activity_chart(figures: Figures) -> Chart | None:
    if not figures.has_activity:
        return None
    months = figures.activity
    reached = [_shown(m.participants_reached) for m in months]
    new = [_shown(m.new_participants) for m in months]
    seen = [m for m in months if m.participants_reached is not HIDDEN]
    peak = max(seen, key=lambda m: m.participants_reached) if seen else None
    totals = figures.activity_totals or {
        "participants_reached": sum(m.participants_reached for m in months),
        "new_participants": sum(m.new_participants for m in months),
    }
    reached_total = totals["participants_reached"]
    first, last = month_label(months[0].month), month_label(months[-1].month)
    summary = _(
        "Van %(first)s tot en met %(last)s bereikte het aanbod gemiddeld %(average)s deelnemers "
        "per maand, met %(new)s nieuwe deelnemers en %(meetings)s bijeenkomsten of contacten in "
        "totaal."
    ) % {
        "first": first,
        "last": last,
        "average": reached_total
        if reached_total is HIDDEN
        else num(reached_total / len(months), 0),
        "new": num(totals["new_participants"]),
        "meetings": num(sum(m.meetings_held for m in months)),
    }
    if peak is not None:
        summary += " " + _("De meeste deelnemers waren er in %(peak)s (%(peak_n)s).") % {
            "peak": month_label(peak.month),
            "peak_n": num(peak.participants_reached),
        }
    if len(seen) < len(months):
        summary += " " + _(
            "In maanden met te weinig deelnemers staan geen aantallen, zodat niemand herkenbaar is."
        )
    caption = _("Bereikte en nieuwe deelnemers per maand, %(first)s tot en met %(last)s") % {
        "first": first,
        "last": last,
    }
    svg = charts.bar_chart(
        chart_id="grafiek-activiteit",
        title=caption,
        description=summary,
        labels=[short_month(m.month) for m in months],
        series=[
            charts.Series(_("Deelnemers bereikt"), reached),
            charts.Series(_("Nieuwe deelnemers"), new),
        ],
    )
    return Chart("grafiek-activiteit", svg, caption, summary, _activity_table(figures))


# Outcomes per instrument ------------------------------------------------------------------


def _better(scale: ScaleFigures) -> bool | None:
    change = scale.result.mean_change
    if change is None or round(change, 1) == 0:
        return None
    return (change > 0) == scale.higher_is_better


def _outcome_table(instrument: InstrumentFigures) -> Table:
    rows = []
    for scale in instrument.scales:
        r = scale.result
        rows.append(
            (
                scale.label,
                scale.domain_label,
                _("hoger") if scale.higher_is_better else _("lager"),
                num(r.n),
                num(r.mean_start),
                num(r.mean_end),
                signed(r.mean_change),
                signed(r.ci_low),
                signed(r.ci_high),
                signed(r.d_z, 2),
                signed(r.d_z_low, 2),
                signed(r.d_z_high, 2),
                pct(scale.improved.proportion) if scale.improved else "–",
                pct(scale.deteriorated.proportion) if scale.deteriorated else "–",
                _uncertain(scale.small),
            )
        )
    return Table(
        caption=_("%(instrument)s: verandering per schaal") % {"instrument": instrument.name},
        columns=_outcome_columns(),
        rows=tuple(rows),
    )


def _outcome_columns() -> tuple[str, ...]:
    return (
        _("Schaal"),
        _("Uitkomstdomein"),
        _("Gunstig is"),
        _("Deelnemers"),
        _("Gemiddeld bij de start"),
        _("Gemiddeld aan het eind"),
        _("Verandering"),
        _("%(pct)s-interval van") % _PCT,
        _("%(pct)s-interval tot") % _PCT,
        _("Effectgrootte d_z"),
        _("d_z %(pct)s-interval van") % _PCT,
        _("d_z %(pct)s-interval tot") % _PCT,
        _("Betrouwbaar verbeterd"),
        _("Betrouwbaar verslechterd"),
        _("Let op"),
    )


def _scale_sentence(scale: ScaleFigures) -> str:
    if scale.hidden:
        return _("Over ‘%(label)s’ zijn te weinig deelnemers om cijfers te delen.") % {
            "label": scale.label
        }
    r = scale.result
    values = {
        "n": num(r.n),
        "label": scale.label,
        "start": num(r.mean_start),
        "end": num(r.mean_end),
    }
    if r.mean_change is not None and round(r.mean_change, 1) < 0:
        text = ngettext(
            "Bij %(n)s deelnemer daalde de score op ‘%(label)s’ van %(start)s naar %(end)s.",
            "Bij %(n)s deelnemers daalde de gemiddelde score op ‘%(label)s’ "
            "van %(start)s naar %(end)s.",
            r.n,
        )
    elif r.mean_change is not None and round(r.mean_change, 1) > 0:
        text = ngettext(
            "Bij %(n)s deelnemer steeg de score op ‘%(label)s’ van %(start)s naar %(end)s.",
            "Bij %(n)s deelnemers steeg de gemiddelde score op ‘%(label)s’ "
            "van %(start)s naar %(end)s.",
            r.n,
        )
    else:
        text = ngettext(
            "Bij %(n)s deelnemer bleef de score op ‘%(label)s’ gelijk (%(end)s).",
            "Bij %(n)s deelnemers bleef de gemiddelde score op ‘%(label)s’ gelijk (%(end)s).",
            r.n,
        )
    text = text % values
    better = _better(scale)
    if better is not None and r.d_z is not None:
        text += " " + (
            _("Dat is een verbetering met een %(size)s effect (d_z = %(d)s).")
            if better
            else _("Dat is een verslechtering met een %(size)s effect (d_z = %(d)s).")
        ) % {"size": effect_size_words(r.d_z), "d": num(r.d_z, 2)}
    return text


def _outcome_summary(instrument: InstrumentFigures) -> str:
    scales = instrument.scales
    text = _scale_sentence(scales[0])
    if len(scales) > 1:
        improved = sum(1 for s in scales if _better(s))
        text = (
            _("Op %(k)s van de %(m)s schalen ging de gemiddelde score vooruit.")
            % {"k": improved, "m": len(scales)}
            + " "
            + text
        )
    if any(s.small for s in scales):
        text += " " + _("Cijfers over minder dan 20 deelnemers zijn onzeker.")
    return text


def _axis_note(instrument: InstrumentFigures) -> str:
    directions = {s.higher_is_better for s in instrument.scales}
    if directions == {True}:
        return _("Rechts van de nul: gestegen, en hier is hoger gunstig.")
    if directions == {False}:
        return _("Links van de nul: gedaald, en hier is lager gunstig.")
    return _("Of hoger of lager gunstig is, verschilt per schaal: zie de tabel.")


def _movement_chart(instrument: InstrumentFigures, scale: ScaleFigures) -> Chart:
    movement = scale.movement
    assert movement is not None
    chart_id = f"grafiek-verschuiving-{instrument.instrument_id}-{scale.code}"
    labels = [c.label for c in movement.categories]
    rows, stack = [], []
    for i, start in enumerate(movement.categories):
        total = movement.row_total(i)
        if total == 0:
            continue
        parts = list(movement.counts[i])
        if total is not HIDDEN and HIDDEN not in parts:
            stack.append(charts.StackRow(label=f"{start.label} (n = {num(total)})", parts=parts))
        for j, end in enumerate(movement.categories):
            count = movement.counts[i][j]
            if count is HIDDEN or total is HIDDEN:
                rows.append((start.label, end.label, num(count), num(HIDDEN)))
            elif count:
                rows.append((start.label, end.label, num(count), pct(count / total)))
    summary = _(
        "Van de %(total)s deelnemers kwamen er %(better)s in een gunstiger categorie terecht, "
        "bleven er %(same)s in dezelfde en kwamen er %(worse)s in een ongunstiger categorie."
    ) % {
        "total": num(movement.total),
        "better": num(movement.to_better),
        "same": num(movement.same),
        "worse": num(movement.to_worse),
    }
    biggest = _biggest_move(movement)
    if biggest is not None:
        summary += " " + _(
            "De grootste verschuiving was van ‘%(from)s’ naar ‘%(to)s’ (%(n)s deelnemers)."
        ) % {"from": biggest[0], "to": biggest[1], "n": num(biggest[2])}
    caption = _("%(scale)s: van categorie bij de start (rijen) naar categorie aan het eind") % {
        "scale": scale.label
    }
    svg = charts.stacked_bar_chart(
        chart_id=chart_id, title=caption, description=summary, rows=stack, legend=labels
    )
    table = Table(
        caption=_("%(scale)s: verschuivingen tussen categorieën") % {"scale": scale.label},
        columns=_movement_columns(),
        rows=tuple(rows),
    )
    return Chart(chart_id, svg, caption, summary, table, scale.small)


def _movement_columns() -> tuple[str, ...]:
    return (_("Bij de start"), _("Aan het eind"), _("Deelnemers"), _("Aandeel van de startgroep"))


def _biggest_move(movement: CategoryMovement) -> tuple[str, str, int] | None:
    size = len(movement.categories)
    moves = [
        (movement.counts[i][j], i, j)
        for i in range(size)
        for j in range(size)
        if i != j and movement.counts[i][j] is not HIDDEN
    ]
    count, i, j = max(moves, default=(0, 0, 0))
    if not count:
        return None
    return movement.categories[i].label, movement.categories[j].label, count


def _instrument_section(instrument: InstrumentFigures) -> InstrumentSection:
    chart_id = f"grafiek-uitkomsten-{instrument.instrument_id}"
    summary = _outcome_summary(instrument)
    caption = _(
        "%(instrument)s: gemiddelde verandering per schaal met het %(pct)s-betrouwbaarheidsinterval"
    ) % {"instrument": instrument.name, **_PCT}
    svg = charts.interval_chart(
        chart_id=chart_id,
        title=caption,
        description=summary,
        rows=[
            charts.IntervalRow(
                label=s.label
                + (f" ({_('onzeker')})" if s.small else "")
                + (f" ({HIDDEN})" if s.hidden else ""),
                value=s.result.mean_change,
                low=s.result.ci_low,
                high=s.result.ci_high,
                uncertain=s.small,
            )
            for s in instrument.scales
        ],
        reference_label=_("geen verandering"),
        axis_note=_axis_note(instrument),
        value_text=signed,
    )
    return InstrumentSection(
        figures=instrument,
        chart=Chart(
            chart_id,
            svg,
            caption,
            summary,
            _outcome_table(instrument),
            any(s.small for s in instrument.scales),
        ),
        movements=[
            _movement_chart(instrument, scale)
            for scale in instrument.scales
            if scale.movement is not None and scale.movement.total
        ],
    )


# Goal Attainment Scaling ------------------------------------------------------------------


def _gas_table(gas: list[GasFigures]) -> Table:
    categories = [c for c, _count in gas[0].distribution] if gas else []
    rows = []
    for one in gas:
        counts = {c.code: count for c, count in one.distribution}
        rows.append(
            (
                f"{one.name} ({one.version})",
                num(one.n),
                num(one.mean),
                num(one.ci_low),
                num(one.ci_high),
                *(num(counts.get(c.code, 0)) for c in categories),
                _uncertain(one.small),
            )
        )
    return Table(
        caption=_("GAS T-scores"),
        columns=(
            _("Instrument"),
            _("Deelnemers"),
            _("Gemiddelde T-score"),
            _("%(pct)s-interval van") % _PCT,
            _("%(pct)s-interval tot") % _PCT,
            *(c.label[:1].upper() + c.label[1:] for c in categories),
            _("Let op"),
        ),
        rows=tuple(rows),
    )


def _gas_chart(figures: Figures) -> Chart | None:
    if not figures.gas:
        return None
    first = figures.gas[0]
    values = {"n": num(first.n), "mean": num(first.mean)}
    if first.hidden:
        summary = _("Over de GAS-doelen zijn te weinig deelnemers om cijfers te delen.")
    elif first.ci_low is not None and first.ci_high is not None:
        values |= {"low": num(first.ci_low), "high": num(first.ci_high)}
        # An interval needs two or more participants: always the plural.
        summary = _(
            "Bij %(n)s deelnemers was de gemiddelde GAS T-score %(mean)s "
            "(%(pct)s-betrouwbaarheidsinterval %(low)s tot %(high)s)."
        ) % {**values, **_PCT}
    else:
        summary = (
            ngettext(
                "Bij %(n)s deelnemer was de GAS T-score %(mean)s.",
                "Bij %(n)s deelnemers was de gemiddelde GAS T-score %(mean)s.",
                first.n,
            )
            % values
        )
    mean = first.mean or 50.0
    if not first.hidden:
        if round(mean, 1) > 50:
            summary += " " + _("De doelen werden gemiddeld beter gehaald dan verwacht.")
        elif round(mean, 1) < 50:
            summary += " " + _("De doelen werden gemiddeld minder goed gehaald dan verwacht.")
        else:
            summary += " " + _("De doelen werden gemiddeld gehaald zoals verwacht.")
    if first.small:
        summary += " " + _("Met minder dan 20 deelnemers is dit onzeker.")
    caption = (
        _("Gemiddelde GAS T-score met het %(pct)s-betrouwbaarheidsinterval; 50 is verwacht") % _PCT
    )
    svg = charts.interval_chart(
        chart_id="grafiek-gas",
        title=caption,
        description=summary,
        rows=[
            charts.IntervalRow(
                label=f"{g.label} ({g.version})",
                value=g.mean,
                low=g.ci_low,
                high=g.ci_high,
                uncertain=g.small,
            )
            for g in figures.gas
        ],
        reference=50.0,
        reference_label=_("verwacht (50)"),
    )
    return Chart(
        "grafiek-gas",
        svg,
        caption,
        summary,
        _gas_table(figures.gas),
        any(g.small for g in figures.gas),
    )


# The whole dashboard, and the tables for download -----------------------------------------


def dashboard(figures: Figures) -> Dashboard:
    return Dashboard(
        activity=_activity_chart(figures),
        instruments=[_instrument_section(i) for i in figures.instruments],
        gas=_gas_chart(figures),
    )


def csv_table(figures: Figures, name: str) -> Table:
    """One of ``CSV_TABLES`` as a single table, as the page shows it (without rows when the
    page shows none); several instruments or scales are one table with their names in front."""
    if name == "activiteit":
        table = _activity_table(figures)
        return table if figures.has_activity else Table(table.caption, table.columns, ())
    if name == "gas":
        return _gas_table(figures.gas)
    sections = [_instrument_section(i) for i in figures.instruments]
    tables: list[tuple[tuple[str, ...], Table]] = []
    if name == "uitkomsten":
        tables = [((s.figures.name,), s.chart.table) for s in sections]
        columns = (_("Instrument"), *_outcome_columns())
        caption = _("Verandering per instrument en schaal")
    elif name == "verschuivingen":
        for section in sections:
            moving = [s for s in section.figures.scales if s.movement and s.movement.total]
            for scale, chart in zip(moving, section.movements, strict=True):
                tables.append(((section.figures.name, scale.label), chart.table))
        columns = (_("Instrument"), _("Schaal"), *_movement_columns())
        caption = _("Verschuivingen tussen categorieën")
    else:
        raise ValueError(f"unknown table {name!r}")
    return Table(
        caption=caption,
        columns=columns,
        rows=tuple((*head, *row) for head, table in tables for row in table.rows),
    )
