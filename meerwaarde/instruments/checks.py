"""What ``parse_definition`` checks: the shape against the JSON Schema, then what a schema
cannot (codes unique, scales name existing items, ranges follow from the items, cut-offs cover
the range without gaps or overlap). Every function returns Dutch messages, never raises.
"""

import json
import math
from collections.abc import Collection, Sequence
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from meerwaarde.instruments.definition import (
    DECIMALS,
    DEFINITIONS_DIR,
    EPS,
    NOT_ASSESSED,
    InstrumentDefinition,
    Item,
    Scale,
    fmt,
    scale_range,
)


@cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads((DEFINITIONS_DIR / "schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# Schema errors in Dutch ------------------------------------------------------------------

_PATH_WORDS = {
    "items": gettext_lazy("vraag"),
    "scales": gettext_lazy("schaal"),
    "options": gettext_lazy("antwoord"),
    "cutoffs": gettext_lazy("categorie"),
}
_TYPE_WORDS = {
    "string": gettext_lazy("tekst"),
    "number": gettext_lazy("getal"),
    "integer": gettext_lazy("heel getal"),
    "boolean": gettext_lazy("ja of nee (true/false)"),
    "array": gettext_lazy("lijst"),
    "object": gettext_lazy("object"),
    "null": gettext_lazy("leeg (null)"),
}


def _where(path: Sequence[Any]) -> str:
    parts: list[str] = []
    position = list(path)
    while position:
        key = position.pop(0)
        if key in _PATH_WORDS and position and isinstance(position[0], int):
            parts.append(f"{_PATH_WORDS[key]} {position.pop(0) + 1}")
        elif isinstance(key, int):
            parts.append(_("nummer %(n)s") % {"n": key + 1})
        else:
            parts.append(f"‘{key}’")
    return ", ".join(parts) if parts else _("het instrument")


def _schema_message(error: SchemaError) -> str:
    where = _where(error.absolute_path)
    check, expected = error.validator, error.validator_value
    if check == "required":
        # One error per missing property, each naming it at the start of its message.
        missing = [
            n for n in expected if n not in error.instance and error.message.startswith(repr(n))
        ]
        return _("%(where)s: ‘%(field)s’ ontbreekt.") % {"where": where, "field": missing[0]}
    if check == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("%(where)s: ‘%(field)s’ hoort niet in een definitie.") % {
            "where": where,
            "field": ", ".join(extra),
        }
    if check == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return _("%(where)s moet een %(type)s zijn.") % {
            "where": where,
            "type": f" {_('of')} ".join(str(_TYPE_WORDS.get(k, k)) for k in kinds),
        }
    if check == "enum":
        return _("%(where)s moet een van deze waarden zijn: %(values)s.") % {
            "where": where,
            "values": ", ".join(str(v) for v in expected),
        }
    if check in ("minimum", "exclusiveMinimum"):
        return _("%(where)s is te laag (ondergrens %(limit)s).") % {
            "where": where,
            "limit": expected,
        }
    if check in ("maximum", "exclusiveMaximum"):
        return _("%(where)s is te hoog (bovengrens %(limit)s).") % {
            "where": where,
            "limit": expected,
        }
    if check == "minItems" and expected == 1:
        return _("%(where)s mag niet leeg zijn.") % {"where": where}
    if check == "minItems":
        return _("%(where)s moet er minstens %(n)s hebben.") % {"where": where, "n": expected}
    if check == "maxItems":
        return _("%(where)s mag er hoogstens %(n)s hebben.") % {"where": where, "n": expected}
    if check == "minLength":
        return _("%(where)s mag niet leeg zijn.") % {"where": where}
    if check == "maxLength":
        return _("%(where)s is te lang (hoogstens %(n)s tekens).") % {"where": where, "n": expected}
    if check == "pattern":
        return _("%(where)s heeft niet de juiste vorm: ‘%(value)s’.") % {
            "where": where,
            "value": error.instance,
        }
    return _("%(where)s klopt niet.") % {"where": where}


def schema_messages(data: Any) -> list[str]:
    """The schema's objections to ``data``, in Dutch, in the order of the file."""
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [_schema_message(error) for error in errors]


# What a schema cannot check --------------------------------------------------------------


def _item_messages(item: Item) -> list[str]:
    name = {"item": item.label, "code": item.code}
    messages = []
    if item.kind == "choice":
        values = [o.value for o in item.options]
        if len(values) < 2:
            messages.append(_("Vraag ‘%(item)s’ (%(code)s): geef minstens twee antwoorden.") % name)
        for value in sorted({v for v in values if values.count(v) > 1}):
            messages.append(
                _("Vraag ‘%(item)s’ (%(code)s): het antwoord ‘%(value)s’ komt twee keer voor.")
                % {**name, "value": value}
            )
        if NOT_ASSESSED in (v.strip().lower() for v in values):
            messages.append(
                _(
                    "Vraag ‘%(item)s’ (%(code)s): ‘na’ staat voor ‘niet beoordeeld’ en kan "
                    "geen antwoord zijn."
                )
                % name
            )
        if values and all(o.score is None for o in item.options):
            messages.append(
                _("Vraag ‘%(item)s’ (%(code)s): minstens één antwoord moet een score hebben.")
                % name
            )
        if item.min is not None or item.max is not None:
            messages.append(
                _(
                    "Vraag ‘%(item)s’ (%(code)s): een keuzevraag heeft geen minimum of maximum; "
                    "die volgen uit de scores van de antwoorden."
                )
                % name
            )
        return messages
    if item.options:
        messages.append(
            _("Vraag ‘%(item)s’ (%(code)s): alleen een keuzevraag heeft antwoorden.") % name
        )
    if item.min is None or item.max is None:
        messages.append(_("Vraag ‘%(item)s’ (%(code)s): geef een minimum en een maximum.") % name)
        return messages
    if item.min >= item.max:
        messages.append(
            _(
                "Vraag ‘%(item)s’ (%(code)s): het minimum (%(min)s) moet lager zijn dan het "
                "maximum (%(max)s)."
            )
            % {**name, "min": fmt(item.min), "max": fmt(item.max)}
        )
    if item.kind == "integer" and not (
        float(item.min).is_integer() and float(item.max).is_integer()
    ):
        messages.append(
            _(
                "Vraag ‘%(item)s’ (%(code)s): bij hele getallen zijn het minimum en het maximum "
                "ook hele getallen."
            )
            % name
        )
    return messages


def _on_grid(value: float, step: float) -> bool:
    return math.isclose(round(value / step) * step, value, abs_tol=EPS)


def _cutoff_messages(scale: Scale, step: float) -> list[str]:
    name = {"scale": scale.label}
    messages = []
    codes = [c.code for c in scale.cutoffs]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        messages.append(
            _("Schaal ‘%(scale)s’: de categoriecode ‘%(code)s’ komt twee keer voor.")
            % {**name, "code": code}
        )
    for cutoff in scale.cutoffs:
        bounds = {**name, "label": cutoff.label, "min": fmt(cutoff.min), "max": fmt(cutoff.max)}
        if cutoff.min > cutoff.max:
            messages.append(
                _(
                    "Schaal ‘%(scale)s’, categorie ‘%(label)s’: de ondergrens (%(min)s) ligt "
                    "boven de bovengrens (%(max)s)."
                )
                % bounds
            )
        if not (_on_grid(cutoff.min, step) and _on_grid(cutoff.max, step)):
            message = (
                _(
                    "Schaal ‘%(scale)s’, categorie ‘%(label)s’: de scores zijn hele getallen, "
                    "dus de grenzen ook (nu %(min)s tot en met %(max)s)."
                )
                if step == 1
                else _(
                    "Schaal ‘%(scale)s’, categorie ‘%(label)s’: geef de grenzen met hoogstens "
                    "twee decimalen (nu %(min)s tot en met %(max)s)."
                )
            )
            messages.append(message % bounds)
    if messages or not scale.cutoffs:
        return messages
    first, last = scale.cutoffs[0], scale.cutoffs[-1]
    if not math.isclose(first.min, scale.min, abs_tol=EPS):
        messages.append(
            _(
                "Schaal ‘%(scale)s’: de laagste categorie (‘%(label)s’) moet beginnen bij "
                "%(min)s, de laagste mogelijke score (nu %(start)s)."
            )
            % {**name, "label": first.label, "min": fmt(scale.min), "start": fmt(first.min)}
        )
    if not math.isclose(last.max, scale.max, abs_tol=EPS):
        messages.append(
            _(
                "Schaal ‘%(scale)s’: de hoogste categorie (‘%(label)s’) moet eindigen bij "
                "%(max)s, de hoogste mogelijke score (nu %(end)s)."
            )
            % {**name, "label": last.label, "max": fmt(scale.max), "end": fmt(last.max)}
        )
    for before, after in zip(scale.cutoffs, scale.cutoffs[1:], strict=False):
        expected = round(before.max + step, DECIMALS)
        pair = {
            **name,
            "before": before.label,
            "after": after.label,
            "next": fmt(expected),
            "start": fmt(after.min),
        }
        if after.min < expected - EPS:
            messages.append(
                _(
                    "Schaal ‘%(scale)s’: de categorieën ‘%(before)s’ en ‘%(after)s’ overlappen; "
                    "laat ‘%(after)s’ beginnen bij %(next)s (nu %(start)s)."
                )
                % pair
            )
        elif after.min > expected + EPS:
            messages.append(
                _(
                    "Schaal ‘%(scale)s’: tussen ‘%(before)s’ en ‘%(after)s’ zit een gat; laat "
                    "‘%(after)s’ beginnen bij %(next)s (nu %(start)s)."
                )
                % pair
            )
    return messages


def _scale_messages(
    scale: Scale,
    items: dict[str, Item],
    domains: Collection[str],
    kind: str,
    broken_items: set[str],
) -> list[str]:
    name = {"scale": scale.label}
    messages = []
    if scale.domain not in domains:
        messages.append(
            _("Schaal ‘%(scale)s’: ‘%(domain)s’ is geen uitkomstdomein uit het vocabulaire.")
            % {**name, "domain": scale.domain}
        )
    if scale.method == "gas" and kind != "gas":
        messages.append(
            _("Schaal ‘%(scale)s’: de methode ‘gas’ hoort alleen bij Goal Attainment Scaling.")
            % name
        )
    unknown = [code for code in scale.items if code not in items]
    for code in unknown:
        messages.append(
            _("Schaal ‘%(scale)s’: de vraag ‘%(code)s’ bestaat niet in dit instrument.")
            % {**name, "code": code}
        )
    for code in sorted({c for c in scale.items if scale.items.count(c) > 1}):
        messages.append(
            _("Schaal ‘%(scale)s’: de vraag ‘%(code)s’ staat er twee keer in.")
            % {**name, "code": code}
        )
    if scale.method in ("item", "gas") and len(scale.items) != 1:
        messages.append(
            _("Schaal ‘%(scale)s’: een schaal van één vraag noemt precies één vraag.") % name
        )
    if scale.max_missing >= len(scale.items) and scale.method != "gas":
        messages.append(
            _(
                "Schaal ‘%(scale)s’: het aantal antwoorden dat mag ontbreken (%(missing)s) moet "
                "kleiner zijn dan het aantal vragen (%(n)s)."
            )
            % {**name, "missing": scale.max_missing, "n": len(scale.items)}
        )
    if scale.max < scale.min:
        messages.append(_("Schaal ‘%(scale)s’: het minimum ligt boven het maximum.") % name)
    if unknown or messages:
        return messages
    if broken_items.intersection(scale.items):
        return messages  # the item's own message says why; there is no range to check
    members = [items[code] for code in scale.items]
    if scale.method == "sum" and scale.max_missing > 0:
        for item in members:
            low, high = item.score_range
            if not low <= 0 <= high:
                messages.append(
                    _(
                        "Schaal ‘%(scale)s’ telt de ingevulde vragen op en mag ontbrekende "
                        "antwoorden hebben. Dat kan alleen als 0 een mogelijke score is van elke "
                        "vraag, en bij ‘%(item)s’ is de laagste score %(low)s. Kies het "
                        "gemiddelde, of sta geen ontbrekende antwoorden toe."
                    )
                    % {**name, "item": item.label, "low": fmt(low)}
                )
                return messages
    if scale.method != "gas":
        low, high = scale_range(members, scale.method, scale.max_missing)
        if not (math.isclose(low, scale.min) and math.isclose(high, scale.max)):
            messages.append(
                _(
                    "Schaal ‘%(scale)s’: volgens de vragen loopt de score van %(low)s tot en met "
                    "%(high)s, niet van %(min)s tot en met %(max)s."
                )
                % {
                    **name,
                    "low": fmt(low),
                    "high": fmt(high),
                    "min": fmt(scale.min),
                    "max": fmt(scale.max),
                }
            )
            return messages
    return messages


def _kind_messages(definition: InstrumentDefinition) -> list[str]:
    if definition.kind != "gas":
        return []
    if len(definition.items) != 1 or len(definition.scales) != 1:
        return [
            _(
                "Goal Attainment Scaling heeft precies één vraag (het sjabloon voor elk doel) "
                "en één schaal."
            )
        ]
    if definition.scales[0].method != "gas":
        return [_("De schaal van Goal Attainment Scaling rekent met de methode ‘gas’.")]
    return []


def _repeated(codes: list[str]) -> list[str]:
    return sorted({c for c in codes if codes.count(c) > 1})


def definition_messages(definition: InstrumentDefinition, domains: Collection[str]) -> list[str]:
    """Everything wrong with a definition that passed the schema."""
    messages = [
        _("De vraagcode ‘%(code)s’ komt twee keer voor.") % {"code": code}
        for code in _repeated([item.code for item in definition.items])
    ]
    messages += [
        _("De schaalcode ‘%(code)s’ komt twee keer voor.") % {"code": code}
        for code in _repeated([scale.code for scale in definition.scales])
    ]
    messages += _kind_messages(definition)
    broken_items = set()
    for item in definition.items:
        item_messages = _item_messages(item)
        messages += item_messages
        if item_messages:
            broken_items.add(item.code)
    items = definition.items_by_code
    for scale in definition.scales:
        scale_messages = _scale_messages(scale, items, domains, definition.kind, broken_items)
        messages += scale_messages
        # Cut-offs are checked against the scale's range, which needs sound items.
        if not scale_messages and not broken_items.intersection(scale.items):
            messages += _cutoff_messages(scale, definition.step(scale))
    return messages
