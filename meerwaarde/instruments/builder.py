"""The builder of an organisation's own instrument: its forms in, a definition out.

"meer vragen" and "meer schalen" redraw the page with more rows. Whatever spans fields goes
through ``parse_definition`` (in the service), whose messages the page shows as they are.
"""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from meerwaarde.instruments.definition import item_from_data, scale_range
from meerwaarde.instruments.forms import (
    ITEMS_PREFIX,
    MAX_ITEMS,
    MAX_SCALES,
    SCALES_PREFIX,
    BaseRowFormSet,
    Direction,
    InstrumentForm,
    ItemForm,
    ItemFormSet,
    ScaleForm,
    ScaleFormSet,
)

FIRST_ITEM_ROWS = 5
FIRST_SCALE_ROWS = 2
MORE_ROWS = 5


def _blank(form_class) -> dict:
    return {name: field.initial for name, field in form_class.base_fields.items()}


def _typed(formset: forms.BaseFormSet) -> list[dict]:
    """What was typed in each row, as initial data for a redraw without error messages."""
    return [{name: form[name].value() for name in form.fields} for form in formset.forms]


def builder_forms(data=None, *, domain_choices=(), more: str = ""):
    """The instrument form and the two formsets; ``more`` ("vragen" or "schalen") redraws the
    page with what was typed plus blank rows, unbound so it shows no errors yet."""
    scale_kwargs = {"domain_choices": domain_choices}
    if data is not None and more:
        typed = builder_forms(data, domain_choices=domain_choices)
        item_rows, scale_rows = _typed(typed[1]), _typed(typed[2])
        if more == ITEMS_PREFIX:
            item_rows += [_blank(ItemForm)] * MORE_ROWS
        else:
            scale_rows += [_blank(ScaleForm)] * MORE_ROWS
        form = InstrumentForm(initial={n: typed[0][n].value() for n in typed[0].fields})
        items = ItemFormSet(initial=item_rows[:MAX_ITEMS], prefix=ITEMS_PREFIX)
        scales = ScaleFormSet(
            initial=scale_rows[:MAX_SCALES], prefix=SCALES_PREFIX, form_kwargs=scale_kwargs
        )
    elif data is not None:
        form = InstrumentForm(data)
        items = ItemFormSet(data, prefix=ITEMS_PREFIX)
        scales = ScaleFormSet(data, prefix=SCALES_PREFIX, form_kwargs=scale_kwargs)
    else:
        form = InstrumentForm()
        items = ItemFormSet(initial=[_blank(ItemForm)] * FIRST_ITEM_ROWS, prefix=ITEMS_PREFIX)
        scales = ScaleFormSet(
            initial=[_blank(ScaleForm)] * FIRST_SCALE_ROWS,
            prefix=SCALES_PREFIX,
            form_kwargs=scale_kwargs,
        )
    return form, items, scales


def _unique(code: str, taken: set[str]) -> str:
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code}-{n}"
    taken.add(candidate)
    return candidate


def build_definition(
    form: InstrumentForm, items: BaseRowFormSet, scales: BaseRowFormSet
) -> dict | None:
    """The definition the valid forms describe, or None after putting errors on the forms.

    Items get the codes v1, v2, … by their row number, so "vraag 3" in a scale is row 3.
    """
    item_rows = items.used_forms()
    scale_rows = scales.used_forms()
    if not item_rows:
        form.add_error(None, _("Geef minstens één vraag."))
    if not scale_rows:
        form.add_error(
            None, _("Geef minstens één schaal: zonder schaal levert het instrument geen score op.")
        )
    item_data = {n: row.item_data(f"v{n}") for n, row in item_rows}
    scale_data = []
    taken: set[str] = set()
    for n, row in scale_rows:
        data = row.cleaned_data
        missing = [number for number in data["items"] if number not in item_data]
        if missing:
            row.add_error(
                "items",
                _("Vraag %(numbers)s is leeg of bestaat niet.")
                % {"numbers": ", ".join(str(m) for m in sorted(set(missing)))},
            )
            continue
        members = [item_data[number] for number in data["items"]]
        low, high = scale_range(
            [item_from_data(m) for m in members], data["method"], data["max_missing"]
        )
        cutoff_codes: set[str] = set()
        scale_data.append(
            {
                "code": _unique(slugify(data["label"])[:40] or f"schaal-{n}", taken),
                "label": data["label"],
                "domain": data["domain"],
                "method": data["method"],
                "items": [m["code"] for m in members],
                "max_missing": data["max_missing"],
                "min": low,
                "max": high,
                "higher_is_better": data["direction"] == Direction.HIGHER,
                "cutoffs": [
                    {
                        "min": c_min,
                        "max": c_max,
                        "code": _unique(slugify(name)[:40] or f"categorie-{i}", cutoff_codes),
                        "label": name,
                    }
                    for i, (c_min, c_max, name) in enumerate(data["cutoffs"], start=1)
                ],
                "sd": float(data["sd"]) if data.get("sd") is not None else None,
                "reliability": float(data["reliability"])
                if data.get("reliability") is not None
                else None,
            }
        )
    if form.errors or any(row.errors for _n, row in scale_rows):
        return None
    return {
        "code": "eigen",  # the service assigns the real code and version
        "version": "1",
        "name": form.cleaned_data["name"],
        "description": form.cleaned_data["description"],
        "kind": "items",
        "licence_note": form.cleaned_data["licence_note"],
        "notice": "",
        # One organisation's own instrument has nothing to compare organisations on.
        "rankable": False,
        "items": list(item_data.values()),
        "scales": scale_data,
    }
