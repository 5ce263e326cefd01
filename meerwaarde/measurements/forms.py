"""The entry form: first an instrument and a moment, then the date and one input per item.

The items are not Django fields: an ``AnswerSheet`` turns the definition (or the trajectory's
goals, for GAS) into inputs the template renders, reads them back from the POST exactly as
typed, and carries the service's message per answer.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meerwaarde.core.forms import StyledForm
from meerwaarde.instruments.definition import NOT_ASSESSED, InstrumentDefinition, Item, fmt
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.constants import ANSWER_PREFIX, Moment, answer_field
from meerwaarde.measurements.display import goal_label
from meerwaarde.participants.models import Goal

# These forms are not StyledFormMixin forms; the class draws the checked state.
_RADIO = {"class": "utrecht-radio-button--html-input"}


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Instrument) -> str:
        # Shipped names carry their version where there are several (ZRM 2013 and 2017).
        if obj.is_shipped:
            return obj.name
        return _("%(instrument)s, eigen instrument") % {"instrument": obj.name}


class StartForm(StyledForm):
    """Step one, a GET form: which instrument, at which moment."""

    instrument = InstrumentChoiceField(
        label=gettext_lazy("Instrument"),
        queryset=Instrument.objects.none(),
        widget=forms.RadioSelect(attrs=_RADIO),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Kies het instrument waarmee u meet."),
            "invalid_choice": gettext_lazy("Kies een van de instrumenten in de lijst."),
        },
    )
    moment = forms.ChoiceField(
        label=gettext_lazy("Moment"),
        choices=Moment.choices,
        widget=forms.RadioSelect(attrs=_RADIO),
        error_messages={
            "required": gettext_lazy("Kies het moment van de meting."),
            "invalid_choice": gettext_lazy("Kies een van de momenten in de lijst."),
        },
    )

    def __init__(self, *args, instruments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments


class MeasurementForm(StyledForm):
    """Moment and date of the entry page; a correction keeps its moment, so has only the date."""

    moment = forms.ChoiceField(
        label=gettext_lazy("Moment"),
        choices=Moment.choices,
        widget=forms.RadioSelect(attrs=_RADIO),
        error_messages={"required": gettext_lazy("Kies het moment van de meting.")},
    )
    measured_on = forms.DateField(
        label=gettext_lazy("Datum van de meting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Vul de datum van de meting in."),
            "invalid": gettext_lazy("Vul een geldige datum in, zoals 15-03-2025."),
        },
    )

    def __init__(self, *args, correction: bool = False, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("measured_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if correction:
            del self.fields["moment"]


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool
    autofocus: bool = False


@dataclass
class Entry:
    """One answer's input: a radio group (choice) or a number box, with "niet beoordeeld"
    where the item allows it."""

    key: str
    number: int
    label: str
    kind: str
    hint: str = ""
    options: list[Option] = field(default_factory=list)
    value: str = ""
    not_assessed: bool = False
    na_checked: bool = False
    min: float | None = None
    max: float | None = None
    step: str = "any"
    autofocus: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return answer_field(self.key)

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def na_name(self) -> str:
        return f"{self.name}-na"

    @property
    def is_choice(self) -> bool:
        return self.kind == "choice"

    @property
    def anchor(self) -> str:
        """Where the error summary's link goes: the input itself, or the group's first radio."""
        return self.options[0].id if self.options else self.id


def _number_hint(item: Item, definition: InstrumentDefinition) -> str:
    low, high = item.score_range
    if item.kind == "integer":
        hint = _("Een heel getal van %(min)s tot en met %(max)s") % {
            "min": fmt(low),
            "max": fmt(high),
        }
    else:
        hint = _("Een getal van %(min)s tot en met %(max)s") % {"min": fmt(low), "max": fmt(high)}
    # A scale of this one item with a category per value (the ZRM) explains each number.
    for scale in definition.scales:
        if (
            scale.items == (item.code,)
            and scale.cutoffs
            and all(c.min == c.max for c in scale.cutoffs)
        ):
            levels = ", ".join(f"{fmt(c.min)} {c.label}" for c in scale.cutoffs)
            return f"{hint}: {levels}."
    return f"{hint}."


class AnswerSheet:
    """The answer inputs of one instrument, bound to posted data or to stored answers."""

    def __init__(
        self,
        definition: InstrumentDefinition,
        goals: Sequence[Goal],
        *,
        data: Mapping[str, str] | None = None,
        initial: Mapping[str, str] | None = None,
    ) -> None:
        self.definition = definition
        self.data = data
        self.entries: list[Entry] = []
        self.conflicts: dict[str, str] = {}
        if definition.kind == "gas":
            template = definition.items[0]
            for number, goal in enumerate(goals, start=1):
                self.entries.append(self._entry(template, str(goal.pk), number, goal_label(goal)))
        else:
            for number, item in enumerate(definition.items, start=1):
                self.entries.append(self._entry(item, item.code, number, item.label))
        self._fill(initial or {})
        if self.entries and not data:
            self._focus(self.entries[0])

    def _entry(self, item: Item, key: str, number: int, label: str) -> Entry:
        entry = Entry(key=key, number=number, label=label, kind=item.kind)
        entry.not_assessed = item.not_assessed
        if item.kind == "choice":
            choices = [(o.value, o.label) for o in item.options]
            if item.not_assessed:
                choices.append((NOT_ASSESSED, _("niet beoordeeld")))
            entry.options = [
                Option(value, label, f"{entry.id}_{i}", False)
                for i, (value, label) in enumerate(choices)
            ]
        else:
            entry.min, entry.max = item.score_range
            entry.step = "1" if item.kind == "integer" else "any"
            entry.hint = _number_hint(item, self.definition)
        return entry

    def _fill(self, initial: Mapping[str, str]) -> None:
        for entry in self.entries:
            if self.data is not None:
                value = str(self.data.get(entry.name, ""))
                na = bool(self.data.get(entry.na_name))
            else:
                value = str(initial.get(entry.key, ""))
                na = not entry.is_choice and value.lower() == NOT_ASSESSED
                if na:
                    value = ""
            entry.value = value
            entry.na_checked = na and entry.not_assessed
            for option in entry.options:
                option.checked = option.value == value

    @staticmethod
    def _focus(entry: Entry) -> None:
        if entry.options:
            checked = [o for o in entry.options if o.checked]
            (checked or entry.options)[0].autofocus = True
        else:
            entry.autofocus = True

    def answers(self) -> dict[str, str]:
        """The answers as typed, by item code or goal id; "na" for "niet beoordeeld".

        A number and a ticked "niet beoordeeld" together are a conflict (in ``conflicts``):
        the answer then passes as the number, and the form must not be saved.
        """
        answers = {}
        self.conflicts = {}
        for entry in self.entries:
            if entry.na_checked and entry.value.strip():
                self.conflicts[entry.key] = _(
                    "Vul een score in óf kies ‘niet beoordeeld’, niet allebei."
                )
            answers[entry.key] = (
                NOT_ASSESSED if entry.na_checked and not entry.value.strip() else entry.value
            )
        return answers

    def add_errors(self, errors: Mapping[str, Sequence[str]]) -> None:
        """Messages keyed by ``answer_field(key)`` (the service's keys) or by bare key."""
        by_key = {entry.key: entry for entry in self.entries}
        for name, messages in errors.items():
            key = name.removeprefix(ANSWER_PREFIX)
            if key in by_key:
                entry = by_key[key]
                entry.errors.extend(m for m in messages if m not in entry.errors)

    @property
    def invalid(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.errors]
