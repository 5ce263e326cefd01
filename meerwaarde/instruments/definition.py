"""Instrument definitions: the dataclasses, and the parser that checks a definition file.

A definition is data (``definitions/<code>-<version>.json``, or an organisation's own in the
database). ``parse_definition`` checks it (``checks.py``: the JSON Schema in
``definitions/schema.json``, then what a schema cannot) and returns frozen dataclasses. Every
problem comes back at once, in Dutch, in ``DefinitionError.messages``. No database access.
"""

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
VOCABULARY_FILE = Path(__file__).parent.parent / "vocabulary" / "data" / "vocabulary.json"
NOT_ASSESSED = "na"
# Values of scales that can be fractional are rounded to this many decimals, and their
# cut-offs are checked on the same grid: 0-49.99, 50-50, 50.01-100.
DECIMALS = 2
EPS = 1e-9

ItemKind = Literal["choice", "integer", "number"]
Method = Literal["sum", "mean", "item", "gas"]
InstrumentKind = Literal["items", "gas"]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: float | None  # None: the answer counts as missing ("weet niet")


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    kind: ItemKind
    options: tuple[Option, ...] = ()
    min: float | None = None  # for choice items: the lowest option score
    max: float | None = None
    not_assessed: bool = False  # whether "na" (niet beoordeeld) is an answer

    @property
    def score_range(self) -> tuple[float, float]:
        if self.kind == "choice":
            scores = [o.score for o in self.options if o.score is not None]
            return min(scores), max(scores)
        assert self.min is not None and self.max is not None
        return self.min, self.max

    @property
    def whole_scores(self) -> bool:
        if self.kind == "choice":
            return all(o.score is None or float(o.score).is_integer() for o in self.options)
        return self.kind == "integer"


@dataclass(frozen=True)
class Cutoff:
    min: float  # both bounds inclusive
    max: float
    code: str
    label: str

    def contains(self, value: float) -> bool:
        return self.min - EPS <= value <= self.max + EPS


@dataclass(frozen=True)
class Scale:
    code: str
    label: str
    domain: str  # an outcome-domain concept code of the vocabulary
    method: Method
    items: tuple[str, ...]
    max_missing: int
    min: float
    max: float
    higher_is_better: bool
    cutoffs: tuple[Cutoff, ...] = ()
    sd: float | None = None  # reference SD and reliability for the reliable change index
    reliability: float | None = None
    reliability_source: str = ""
    note: str = ""

    def category_for(self, value: float) -> Cutoff | None:
        return next((c for c in self.cutoffs if c.contains(value)), None)


@dataclass(frozen=True)
class InstrumentDefinition:
    code: str
    version: str
    name: str
    description: str
    kind: InstrumentKind
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    licence_note: str = ""
    notice: str = ""
    rankable: bool = True

    @property
    def key(self) -> str:
        return f"{self.code}-{self.version}"

    @cached_property
    def items_by_code(self) -> dict[str, Item]:
        return {item.code: item for item in self.items}

    def item(self, code: str) -> Item:
        return self.items_by_code[code]

    def scale(self, code: str) -> Scale:
        return next(s for s in self.scales if s.code == code)

    def step(self, scale: Scale) -> float:
        """The grid a scale's values lie on: 1 for sums of whole scores, else 0.01."""
        if scale.method in ("sum", "item") and all(
            self.item(code).whole_scores for code in scale.items
        ):
            return 1.0
        return 10.0**-DECIMALS


class DefinitionError(Exception):
    """A definition that cannot be used; ``messages`` says why, in Dutch, every problem."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def fmt(value: float) -> str:
    """A number as the active language writes it: 2 → "2", 2.5 → "2,5"."""
    if float(value).is_integer():
        return str(int(value))
    return number_format(round(value, DECIMALS + 2))


def scale_range(items: Sequence[Item], method: str, max_missing: int) -> tuple[float, float]:
    """The lowest and highest value a scale over ``items`` can take.

    A sum with missing answers sums the answered items, which only stays inside the full
    range when 0 is a possible score of every item (checked by the parser).
    """
    lows = sorted(item.score_range[0] for item in items)
    highs = sorted((item.score_range[1] for item in items), reverse=True)
    if method == "sum":
        return sum(lows), sum(highs)
    if method == "mean":
        # The lowest mean comes from answering only the items with the lowest minimums.
        answered = max(len(items) - max_missing, 1)
        return (
            round(sum(lows[:answered]) / answered, DECIMALS),
            round(sum(highs[:answered]) / answered, DECIMALS),
        )
    return lows[0], highs[0]


@cache
def vocabulary_domains() -> frozenset[str]:
    """The outcome-domain codes of the shipped vocabulary file (no database needed)."""
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    scheme = next(s for s in data["schemes"] if s["code"] == "outcome_domains")
    return frozenset(c["code"] for c in scheme["concepts"])


# Building the dataclasses ----------------------------------------------------------------


def item_from_data(data: dict) -> Item:
    """One item of a definition's data as a dataclass (the data already passed the schema)."""
    return Item(
        code=data["code"],
        label=data["label"],
        kind=data["kind"],
        options=tuple(
            Option(value=o["value"], label=o["label"], score=o["score"])
            for o in data.get("options", [])
        ),
        min=data.get("min"),
        max=data.get("max"),
        not_assessed=data.get("not_assessed", False),
    )


def _scale(data: dict) -> Scale:
    return Scale(
        code=data["code"],
        label=data["label"],
        domain=data["domain"],
        method=data["method"],
        items=tuple(data["items"]),
        max_missing=data["max_missing"],
        min=data["min"],
        max=data["max"],
        higher_is_better=data["higher_is_better"],
        cutoffs=tuple(
            Cutoff(min=c["min"], max=c["max"], code=c["code"], label=c["label"])
            for c in sorted(data.get("cutoffs", []), key=lambda c: (c["min"], c["max"]))
        ),
        sd=data.get("sd"),
        reliability=data.get("reliability"),
        reliability_source=data.get("reliability_source", ""),
        note=data.get("note", ""),
    )


def parse_definition(data: dict, *, domains: Collection[str] | None = None) -> InstrumentDefinition:
    """The definition in ``data``, checked; raises DefinitionError with every problem.

    ``domains`` are the outcome-domain codes a scale may name; by default those of the
    vocabulary file (the builder passes the curated ones from the database).
    """
    # The checks need the dataclasses above, so they are imported here, not at the top.
    from meerwaarde.instruments import checks

    messages = checks.schema_messages(data)
    if messages:
        raise DefinitionError(messages)
    definition = InstrumentDefinition(
        code=data["code"],
        version=data["version"],
        name=data["name"],
        description=data["description"],
        kind=data["kind"],
        items=tuple(item_from_data(i) for i in data["items"]),
        scales=tuple(_scale(s) for s in data["scales"]),
        licence_note=data["licence_note"],
        notice=data["notice"],
        rankable=data["rankable"],
    )
    messages = checks.definition_messages(
        definition, vocabulary_domains() if domains is None else domains
    )
    if messages:
        raise DefinitionError(messages)
    return definition


# The shipped files -----------------------------------------------------------------------


def shipped_data() -> list[dict]:
    """The raw definition files, ``<code>-<version>.json``, in name order."""
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(DEFINITIONS_DIR.glob("*.json"))
        if path.name != "schema.json"
    ]


def load_shipped() -> list[InstrumentDefinition]:
    """Every shipped definition, parsed; a file whose name is not its code and version fails."""
    definitions = []
    for path, data in zip(
        sorted(p for p in DEFINITIONS_DIR.glob("*.json") if p.name != "schema.json"),
        shipped_data(),
        strict=True,
    ):
        try:
            definition = parse_definition(data)
        except DefinitionError as error:
            raise DefinitionError([f"{path.name}: {m}" for m in error.messages]) from error
        if path.stem != definition.key:
            raise DefinitionError(
                [
                    _("%(file)s: de bestandsnaam moet %(key)s.json zijn.")
                    % {"file": path.name, "key": definition.key}
                ]
            )
        definitions.append(definition)
    return definitions
