"""From sector figures to what the page shows: charts, captions, Dutch summaries and the
tables behind them. A hidden figure reads "te weinig deelnemers" in every cell it would fill,
never 0 or blank; rows come by label, never ranked by their values."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meerwaarde.analysis import charts
from meerwaarde.analysis.formatting import MISSING, num, pct, signed
from meerwaarde.analysis.presentation import Chart, Table, effect_size_words
from meerwaarde.bundling.sector import (
    DIMENSION_LABELS,
    Outcome,
    Row,
    ScaleInfo,
    SectorFigures,
    gas_mean,
)
from meerwaarde.bundling.suppression import HIDDEN_TEXT, Hidden

# Kept out of the msgids: a bare "%" in a translatable string reads as a format directive.
_PCT = {"pct": "95%"}
# An interval chart with more rows than this is too long to read; the table has them all.
CHART_ROWS = 40


def _hidden() -> str:
    return str(HIDDEN_TEXT)


def _uncertain(small: bool) -> str:
    return _("onzeker (minder dan 20 deelnemers)") if small else ""


# Reach -------------------------------------------------------------------------------------


def reach_columns(head: str) -> tuple[str, ...]:
    return (
        head,
        _("Organisaties"),
        _("Aanbod"),
        _("Deelnemers bereikt"),
        _("Nieuwe deelnemers"),
        _("Bijeenkomsten of contacten"),
        _("Uren van vrijwilligers"),
        _("Naar het aanbod verwezen"),
        _("Doorverwezen"),
        _("Vroegsignalen"),
    )


def _reach_cells(row: Row) -> tuple[str, ...]:
    reach = row.reach
    if isinstance(reach, Hidden):
        return (num(row.organisations), num(row.offers), *([_hidden()] * 7))
    return (
        num(row.organisations),
        num(row.offers),
        num(reach.participants_reached),
        num(reach.new_participants),
        num(reach.meetings_held),
        num(float(reach.volunteer_hours)),
        num(reach.referrals_in),
        num(reach.referrals_out),
        num(reach.early_signals),
    )


def reach_table(rows: list[Row], total: Row, head: str, caption: str) -> Table:
    body = [(row.label, *_reach_cells(row)) for row in rows]
    body.append((_("Totaal van de selectie"), *_reach_cells(total)))
    return Table(caption=caption, columns=reach_columns(head), rows=tuple(body))


def reach_chart(figures: SectorFigures, dimension: str, rows: list[Row]) -> Chart:
    head = str(DIMENSION_LABELS[dimension])
    shown = [r for r in rows if not isinstance(r.reach, Hidden)][:CHART_ROWS]
    hidden = sum(1 for r in rows if isinstance(r.reach, Hidden))
    total = figures.total
    if isinstance(total.reach, Hidden):
        summary = _("Voor deze selectie zijn te weinig deelnemers bereikt om cijfers te tonen.")
    else:
        summary = _(
            "In deze selectie bereikte het aanbod van %(orgs)s organisaties samen %(reached)s "
            "keer een deelnemer, met %(new)s nieuwe deelnemers."
        ) % {
            "orgs": num(total.organisations),
            "reached": num(total.reach.participants_reached),
            "new": num(total.reach.new_participants),
        }
    if hidden:
        summary += " " + ngettext(
            "Bij %(n)s groep staat ‘te weinig deelnemers’: die cijfers zijn verborgen.",
            "Bij %(n)s groepen staat ‘te weinig deelnemers’: die cijfers zijn verborgen.",
            hidden,
        ) % {"n": hidden}
    caption = _("Deelnemers bereikt per %(dimension)s") % {"dimension": head.lower()}
    chart_id = f"grafiek-bereik-{dimension}"
    svg = charts.interval_chart(
        chart_id=chart_id,
        title=caption,
        description=summary,
        rows=[
            charts.IntervalRow(label=r.label, value=float(r.reach.participants_reached))  # type: ignore[union-attr]
            for r in shown
        ],
        value_text=lambda v: num(int(v)),
    )
    table = reach_table(
        rows,
        total,
        head,
        _("Bereik en activiteiten per %(dimension)s") % {"dimension": head.lower()},
    )
    return Chart(chart_id, svg, caption, summary, table)


# Outcomes ----------------------------------------------------------------------------------


def outcome_columns(head: str) -> tuple[str, ...]:
    return (
        head,
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


def outcome_cells(scale: ScaleInfo, outcome: Outcome | None) -> tuple[str, ...]:
    if outcome is None:
        return (num(0), *([MISSING] * 11))
    if isinstance(outcome.n, Hidden) or outcome.result is None:
        return tuple([_hidden()] * 12)
    r = outcome.result
    start, end = num(r.mean_start), num(r.mean_end)
    if scale.gas:
        start, end = num(50.0), num(gas_mean(outcome)[0])
    return (
        num(outcome.n),
        start,
        end,
        signed(r.mean_change),
        signed(r.ci_low),
        signed(r.ci_high),
        signed(r.d_z, 2),
        signed(r.d_z_low, 2),
        signed(r.d_z_high, 2),
        pct(outcome.improved.proportion) if outcome.improved else MISSING,
        pct(outcome.deteriorated.proportion) if outcome.deteriorated else MISSING,
        _uncertain(outcome.small),
    )


@dataclass(frozen=True)
class InstrumentBlock:
    """The total of one instrument: its scales as a chart and a table."""

    instrument_id: int
    name: str
    notice: str
    rankable: bool
    gas: bool
    chart: Chart


def _scale_sentence(scale: ScaleInfo, outcome: Outcome) -> str:
    r = outcome.result
    assert r is not None
    values = {"n": num(outcome.n), "label": scale.label, "change": signed(r.mean_change)}
    if scale.gas:
        return _(
            "Bij %(n)s deelnemers was de gemiddelde GAS T-score %(mean)s; 50 is het verwachte "
            "resultaat."
        ) % {"n": values["n"], "mean": num(gas_mean(outcome)[0])}
    text = _("Bij %(n)s deelnemers veranderde ‘%(label)s’ gemiddeld met %(change)s.") % values
    change = r.mean_change
    if change is not None and round(change, 1) != 0 and r.d_z is not None:
        better = (change > 0) == scale.higher_is_better
        text += " " + (
            _("Dat is een verbetering met een %(size)s effect (d_z = %(d)s).")
            if better
            else _("Dat is een verslechtering met een %(size)s effect (d_z = %(d)s).")
        ) % {"size": effect_size_words(r.d_z), "d": num(r.d_z, 2)}
    return text


def instrument_blocks(figures: SectorFigures) -> list[InstrumentBlock]:
    """Per instrument the selection's total: mean change per scale with its interval."""
    total = figures.total
    by_instrument: dict[int, list[ScaleInfo]] = {}
    for scale in figures.scales:
        by_instrument.setdefault(scale.instrument_id, []).append(scale)
    blocks = []
    for instrument_id, scales in by_instrument.items():
        first = scales[0]
        outcomes = [(s, total.outcomes.get(s.key)) for s in scales]
        shown = [(s, o) for s, o in outcomes if o is not None and not o.hidden]
        hidden = len(outcomes) - len(shown)
        if shown:
            summary = _scale_sentence(*shown[0])
        else:
            summary = _("Voor dit instrument zijn te weinig deelnemers in deze selectie.")
        if hidden and shown:
            summary += " " + ngettext(
                "Bij %(n)s schaal staat ‘te weinig deelnemers’.",
                "Bij %(n)s schalen staat ‘te weinig deelnemers’.",
                hidden,
            ) % {"n": hidden}
        chart_id = f"grafiek-sector-{instrument_id}"
        caption = _(
            "%(instrument)s: gemiddelde verandering per schaal met het "
            "%(pct)s-betrouwbaarheidsinterval"
        ) % {"instrument": first.instrument, **_PCT}
        rows = []
        for scale, outcome in shown:
            r = outcome.result
            assert r is not None
            rows.append(
                charts.IntervalRow(
                    label=scale.label + (f" ({_('onzeker')})" if outcome.small else ""),
                    value=r.mean_change,
                    low=r.ci_low,
                    high=r.ci_high,
                    uncertain=outcome.small,
                )
            )
        svg = charts.interval_chart(
            chart_id=chart_id,
            title=caption,
            description=summary,
            rows=rows,
            reference_label=_("geen verandering") if not first.gas else _("verwacht (50)"),
            value_text=signed,
        )
        table = Table(
            caption=_("%(instrument)s: verandering per schaal") % {"instrument": first.instrument},
            columns=outcome_columns(_("Schaal")),
            rows=tuple((s.label, *outcome_cells(s, o)) for s, o in outcomes),
        )
        blocks.append(
            InstrumentBlock(
                instrument_id=instrument_id,
                name=first.instrument,
                notice=first.notice,
                rankable=first.rankable,
                gas=first.gas,
                chart=Chart(
                    chart_id, svg, caption, summary, table, any(o.small for _s, o in shown)
                ),
            )
        )
    return blocks


def scale_breakdown_chart(
    figures: SectorFigures, dimension: str, rows: list[Row], scale: ScaleInfo
) -> Chart:
    """One scale across the groups of a dimension: a dot with its interval per group."""
    head = str(DIMENSION_LABELS[dimension])
    pairs = [(r, r.outcomes.get(scale.key)) for r in rows]
    shown = [(r, o) for r, o in pairs if o is not None and not o.hidden and o.result is not None]
    hidden = sum(1 for _r, o in pairs if o is not None and o.hidden)
    what = f"{scale.instrument}: {scale.label}"
    summary = ngettext(
        "‘%(scale)s’ per %(dimension)s: %(n)s groep heeft cijfers.",
        "‘%(scale)s’ per %(dimension)s: %(n)s groepen hebben cijfers.",
        len(shown),
    ) % {"scale": what, "dimension": head.lower(), "n": len(shown)}
    if hidden:
        summary += " " + ngettext(
            "Bij %(n)s groep staat ‘te weinig deelnemers’.",
            "Bij %(n)s groepen staat ‘te weinig deelnemers’.",
            hidden,
        ) % {"n": hidden}
    if len(shown) > CHART_ROWS:
        summary += " " + _(
            "De grafiek toont de eerste %(n)s groepen op naam; de tabel toont ze allemaal."
        ) % {"n": CHART_ROWS}
    if not scale.rankable:
        summary += " " + _("Deze cijfers zijn bedoeld voor het gesprek, niet om te rangschikken.")
    caption = _("%(scale)s per %(dimension)s, met het %(pct)s-betrouwbaarheidsinterval") % {
        "scale": what,
        "dimension": head.lower(),
        **_PCT,
    }
    chart_id = f"grafiek-schaal-{dimension}"
    chart_rows = []
    for row, outcome in shown[:CHART_ROWS]:
        r = outcome.result
        assert r is not None
        chart_rows.append(
            charts.IntervalRow(
                label=row.label + (f" ({_('onzeker')})" if outcome.small else ""),
                value=r.mean_change,
                low=r.ci_low,
                high=r.ci_high,
                uncertain=outcome.small,
            )
        )
    svg = charts.interval_chart(
        chart_id=chart_id,
        title=caption,
        description=summary,
        rows=chart_rows,
        reference_label=_("geen verandering"),
        value_text=signed,
    )
    body = [(r.label, *outcome_cells(scale, o)) for r, o in pairs]
    body.append(
        (_("Totaal van de selectie"), *outcome_cells(scale, figures.total.outcomes.get(scale.key)))
    )
    table = Table(
        caption=_("%(scale)s per %(dimension)s") % {"scale": what, "dimension": head.lower()},
        columns=outcome_columns(head),
        rows=tuple(body),
    )
    return Chart(chart_id, svg, caption, summary, table, any(o.small for _r, o in shown))
