"""Scoring answers against a definition: check every answer, then every scale.

Answers come as a form posts them: an option value, a number as text (a Dutch comma is
fine), ``""`` or ``None`` for missing, ``"na"`` for "niet beoordeeld". Reverse scoring lives
in the option scores of the definition, not here. A sum over items with a missing answer
sums the answered items without prorating (the parser only allows that when 0 is a possible
score of every item, so the value stays in the scale's range). Pure functions, no database.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meerwaarde.instruments.definition import (
    DECIMALS,
    NOT_ASSESSED,
    InstrumentDefinition,
    Item,
    Scale,
    fmt,
)

GAS_RHO = 0.3
_NUMBER = re.compile(r"^[+\-−]?[0-9]{1,9}([.,][0-9]{1,6})?$")


@dataclass(frozen=True)
class ScaleScore:
    code: str
    value: float | None  # None: the missing-data rule says the scale is not scored
    category: str = ""  # the cut-off's code; "" without cut-offs or without a value
    category_label: str = ""


@dataclass(frozen=True)
class ScoreResult:
    scales: dict[str, ScaleScore]
    errors: dict[str, str]  # item code → Dutch message; when not empty nothing is scored

    @property
    def is_valid(self) -> bool:
        return not self.errors


class AnswerError(ValueError):
    """An answer an item does not accept; ``message`` says so in Dutch."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _range_text(item: Item) -> dict[str, str]:
    low, high = item.score_range
    return {"min": fmt(low), "max": fmt(high)}


def _number(text: str) -> float | None:
    if not _NUMBER.match(text):
        return None
    return float(text.replace("−", "-").replace(",", "."))


def item_score(item: Item, answer: str | float | None) -> float | None:
    """The score of one answer, or None when it is missing, not assessed or scores nothing.

    Raises AnswerError for an answer the item does not accept.
    """
    if answer is None:
        return None
    text = str(answer).strip()
    if not text:
        return None
    if text.lower() == NOT_ASSESSED:
        if item.not_assessed:
            return None
        raise AnswerError(
            _(
                "‘Niet beoordeeld’ kan bij deze vraag niet. Laat het antwoord leeg als het "
                "ontbreekt."
            )
        )
    if item.kind == "choice":
        for option in item.options:
            if option.value == text:
                return option.score
        raise AnswerError(
            _("Kies een van de antwoorden: %(options)s.")
            % {"options": ", ".join(o.label for o in item.options)}
        )
    value = _number(text)
    if value is None:
        if item.kind == "integer":
            raise AnswerError(
                _("Vul een heel getal in van %(min)s tot en met %(max)s.") % _range_text(item)
            )
        raise AnswerError(_("Vul een getal in van %(min)s tot en met %(max)s.") % _range_text(item))
    if item.kind == "integer" and not value.is_integer():
        raise AnswerError(
            _("Vul een heel getal in van %(min)s tot en met %(max)s; %(value)s is geen heel getal.")
            % {**_range_text(item), "value": fmt(value)}
        )
    low, high = item.score_range
    if not low <= value <= high:
        raise AnswerError(
            _("Vul een getal in van %(min)s tot en met %(max)s; %(value)s valt daarbuiten.")
            % {**_range_text(item), "value": fmt(value)}
        )
    return value


def _scored(scale: Scale, value: float | None) -> ScaleScore:
    if value is None:
        return ScaleScore(code=scale.code, value=None)
    value = round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    cutoff = scale.category_for(value)
    if cutoff is None:
        return ScaleScore(code=scale.code, value=value)
    return ScaleScore(
        code=scale.code, value=value, category=cutoff.code, category_label=cutoff.label
    )


def scale_value(scale: Scale, scores: Mapping[str, float | None]) -> float | None:
    """The scale's value from item scores, or None under its missing-data rule."""
    values = [scores.get(code) for code in scale.items]
    answered = [v for v in values if v is not None]
    if not answered or len(values) - len(answered) > scale.max_missing:
        return None
    if scale.method == "sum":
        return math.fsum(answered)
    if scale.method == "mean":
        return math.fsum(answered) / len(answered)
    return answered[0]


def score(
    definition: InstrumentDefinition,
    answers: Mapping[str, str | None],
    *,
    weights: Mapping[str, float] | None = None,
) -> ScoreResult:
    """Every scale of ``definition`` for ``answers``, or the answers' errors and no scales.

    For Goal Attainment Scaling the answers are keyed by goal (any key the caller uses) and
    ``weights`` gives a goal's weight by the same key (default 1).
    """
    if definition.kind == "gas":
        return _score_gas(definition, answers, weights or {})
    errors: dict[str, str] = {}
    for code in answers:
        if code not in definition.items_by_code:
            errors[code] = _("Deze vraag hoort niet bij het instrument.")
    scores: dict[str, float | None] = {}
    for item in definition.items:
        try:
            scores[item.code] = item_score(item, answers.get(item.code))
        except AnswerError as error:
            errors[item.code] = error.message
    if errors:
        return ScoreResult(scales={}, errors=errors)
    return ScoreResult(
        scales={s.code: _scored(s, scale_value(s, scores)) for s in definition.scales},
        errors={},
    )


def _score_gas(
    definition: InstrumentDefinition,
    answers: Mapping[str, str | None],
    weights: Mapping[str, float],
) -> ScoreResult:
    template, scale = definition.items[0], definition.scales[0]
    errors: dict[str, str] = {}
    rated: list[tuple[int, float]] = []
    missing = 0
    for key, answer in answers.items():
        try:
            value = item_score(template, answer)
        except AnswerError as error:
            errors[key] = error.message
            continue
        try:
            weight = float(weights.get(key, 1.0))  # a Decimal from a model field is fine
        except (TypeError, ValueError):
            weight = math.nan
        if not (math.isfinite(weight) and weight > 0):
            errors[key] = _("Het gewicht van een doel moet een getal groter dan 0 zijn.")
            continue
        if value is None:
            missing += 1
        else:
            rated.append((int(value), weight))
    if errors:
        return ScoreResult(scales={}, errors=errors)
    value = None
    if rated and missing <= scale.max_missing:
        value = gas_t_score([x for x, _w in rated], [w for _x, w in rated])
    return ScoreResult(scales={scale.code: _scored(scale, value)}, errors={})


def gas_t_score(
    scores: Sequence[int], weights: Sequence[float] | None = None, rho: float = GAS_RHO
) -> float:
    """Kiresuk and Sherman's T = 50 + 10·Σwx / √((1−ρ)Σw² + ρ(Σw)²).

    ``scores`` are the goals' attainment, −2..+2 with 0 the expected outcome; weights default
    to 1. Raises ValueError without goals, with unequal lengths or a weight that is not > 0.
    """
    if not scores:
        raise ValueError("gas_t_score needs at least one goal")
    weights = [1.0] * len(scores) if weights is None else list(weights)
    if len(weights) != len(scores):
        raise ValueError("gas_t_score needs one weight per goal")
    if any(not w > 0 for w in weights):
        raise ValueError("gas_t_score needs weights greater than 0")
    weighted = math.fsum(w * x for w, x in zip(weights, scores, strict=True))
    spread = (1 - rho) * math.fsum(w * w for w in weights) + rho * math.fsum(weights) ** 2
    return 50 + 10 * weighted / math.sqrt(spread)
