"""The forms of the instrument builder: the instrument, an item row, a scale row.

Plain forms and formsets, no JavaScript. The forms catch what a person can fix in one field;
``builder.py`` turns them into a definition. A row nobody touched is skipped, never an error; a
touched row must be complete.
"""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.forms import StyledForm

MAX_POINTS = 11
MAX_ITEMS = 60
MAX_SCALES = 20
ITEMS_PREFIX = "vragen"
SCALES_PREFIX = "schalen"
_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|t/m|tot en met)\s*(\d{1,3})$")
_NUMBER = r"-?\d+(?:[.,]\d+)?"
_CUTOFF = re.compile(rf"^({_NUMBER})\s*(?:-|–|t/m|tot en met)\s*({_NUMBER})\s*:\s*(.+)$")


def _dec(text: str) -> float:
    return float(text.replace(",", "."))


class InstrumentForm(StyledForm):
    name = forms.CharField(
        label=_("Naam van het instrument"),
        max_length=200,
        help_text=_("Zoals uw medewerkers het kennen, bijvoorbeeld ‘Vragenlijst welbevinden’."),
    )
    description = forms.CharField(
        label=_("Beschrijving"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarvoor het instrument dient en hoe het wordt afgenomen."),
    )
    licence_note = forms.CharField(
        label=_("Bron en gebruiksrechten"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Waar het instrument vandaan komt en onder welke voorwaarden u het gebruikt."),
    )


class ItemKind:
    LIKERT = "likert"
    NUMBER = "number"
    CHOICES = [
        (LIKERT, _("Antwoordschaal (bijvoorbeeld nooit – soms – vaak)")),
        (NUMBER, _("Getal")),
    ]


class ItemForm(StyledForm):
    label = forms.CharField(
        label=_("Korte omschrijving"),
        max_length=200,
        error_messages={"required": _("Geef de vraag een omschrijving, of maak de rij leeg.")},
        help_text=_(
            "In eigen woorden, bijvoorbeeld ‘Slaapt goed’. Lege rijen worden overgeslagen."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Soort antwoord"),
        choices=ItemKind.CHOICES,
        initial=ItemKind.LIKERT,
    )
    points = forms.IntegerField(
        label=_("Aantal antwoordmogelijkheden"),
        min_value=2,
        max_value=MAX_POINTS,
        initial=5,
        required=False,
        help_text=_("Bij een antwoordschaal: de antwoorden scoren 1, 2, 3, … van laag naar hoog."),
    )
    option_labels = forms.CharField(
        label=_("Namen van de antwoorden"),
        max_length=1000,
        required=False,
        help_text=_(
            "Bij een antwoordschaal, van laag naar hoog, gescheiden door een puntkomma: "
            "nooit; soms; vaak; altijd. Leeg laten: de antwoorden heten 1, 2, 3, …"
        ),
    )
    reverse = forms.BooleanField(
        label=_("Omgekeerd scoren: het eerste antwoord krijgt de hoogste score"), required=False
    )
    min = forms.DecimalField(
        label=_("Laagste waarde"),
        required=False,
        max_digits=9,
        decimal_places=2,
        localize=True,  # a Dutch decimal comma
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    max = forms.DecimalField(
        label=_("Hoogste waarde"),
        required=False,
        max_digits=9,
        decimal_places=2,
        localize=True,  # a Dutch decimal comma
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    whole = forms.BooleanField(label=_("Alleen hele getallen"), required=False, initial=True)
    not_assessed = forms.BooleanField(
        label=_("‘Niet beoordeeld’ is een mogelijk antwoord"), required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == ItemKind.LIKERT:
            self._clean_likert(data)
        elif data.get("kind") == ItemKind.NUMBER:
            self._clean_number(data)
        return data

    def _clean_likert(self, data: dict) -> None:
        points = data.get("points")
        if points is None:
            if "points" not in self.errors:
                self.add_error(
                    "points", _("Geef het aantal antwoordmogelijkheden (2 tot en met 11).")
                )
            return
        labels = [part.strip() for part in (data.get("option_labels") or "").split(";")]
        labels = [label for label in labels if label]
        if labels and len(labels) != points:
            self.add_error(
                "option_labels",
                _("Geef %(n)s namen, één per antwoord, of laat het veld leeg (nu %(given)s).")
                % {"n": points, "given": len(labels)},
            )
        elif any(len(label) > 100 for label in labels):
            self.add_error("option_labels", _("Een naam van een antwoord is hoogstens 100 tekens."))
        elif len(set(labels)) != len(labels):
            self.add_error("option_labels", _("Geef elk antwoord een andere naam."))

    def _clean_number(self, data: dict) -> None:
        low, high = data.get("min"), data.get("max")
        for name, value in (("min", low), ("max", high)):
            if value is None and name not in self.errors:
                self.add_error(name, _("Geef de laagste en de hoogste waarde."))
        if low is None or high is None:
            return
        if low >= high:
            self.add_error("max", _("De hoogste waarde moet hoger zijn dan de laagste."))
        elif data.get("whole") and (low % 1 or high % 1):
            self.add_error("min", _("Bij alleen hele getallen zijn de grenzen ook hele getallen."))

    def item_data(self, code: str) -> dict:
        data = self.cleaned_data
        item: dict = {"code": code, "label": data["label"], "not_assessed": data["not_assessed"]}
        if data["kind"] == ItemKind.LIKERT:
            points = data["points"]
            labels = [p.strip() for p in (data.get("option_labels") or "").split(";") if p.strip()]
            labels = labels or [str(n) for n in range(1, points + 1)]
            item["kind"] = "choice"
            item["options"] = [
                {
                    "value": str(n),
                    "label": labels[n - 1],
                    "score": points + 1 - n if data["reverse"] else n,
                }
                for n in range(1, points + 1)
            ]
            return item
        item["kind"] = "integer" if data["whole"] else "number"
        item["min"] = _number(data["min"])
        item["max"] = _number(data["max"])
        return item


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


class Direction:
    HIGHER = "hoger"
    LOWER = "lager"
    CHOICES = [
        (HIGHER, _("Een hogere score is gunstiger")),
        (LOWER, _("Een lagere score is gunstiger")),
    ]


class ScaleForm(StyledForm):
    label = forms.CharField(
        label=_("Naam van de schaal"),
        max_length=200,
        error_messages={"required": _("Geef de schaal een naam, of maak de rij leeg.")},
        help_text=_("Bijvoorbeeld ‘Welbevinden totaal’. Lege rijen worden overgeslagen."),
    )
    domain = forms.ChoiceField(
        label=_("Uitkomstdomein"),
        choices=(),
        error_messages={"required": _("Kies het uitkomstdomein waar deze schaal over gaat.")},
    )
    method = forms.ChoiceField(
        label=_("Berekening"),
        choices=[("sum", _("Som van de scores")), ("mean", _("Gemiddelde van de scores"))],
        initial="sum",
    )
    items = forms.CharField(
        label=_("Vragen"),
        max_length=300,
        error_messages={"required": _("Geef de nummers van de vragen die bij deze schaal horen.")},
        help_text=_("De nummers van de vragen, bijvoorbeeld 1, 2, 3 of 1-5."),
    )
    max_missing = forms.IntegerField(
        label=_("Hoeveel antwoorden mogen ontbreken"),
        min_value=0,
        max_value=MAX_ITEMS,
        initial=0,
        required=False,
        help_text=_("Ontbreken er meer, dan wordt de score van deze schaal niet berekend."),
    )
    direction = forms.ChoiceField(
        label=_("Wat is gunstig?"),
        choices=[("", _("— Kies —")), *Direction.CHOICES],
        error_messages={"required": _("Kies of een hogere of een lagere score gunstiger is.")},
    )
    cutoffs = forms.CharField(
        label=_("Categorieën"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eén per regel, als ‘van-tot: naam’, bijvoorbeeld ‘5-10: laag’. Samen beslaan ze "
            "alle mogelijke scores, zonder overlap."
        ),
    )
    sd = forms.DecimalField(
        label=_("Standaarddeviatie (referentie)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=3,
        localize=True,  # a Dutch decimal comma
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Voor de betrouwbare verandering, uit de handleiding van het instrument."),
    )
    reliability = forms.DecimalField(
        label=_("Betrouwbaarheid"),
        required=False,
        max_digits=4,
        decimal_places=3,
        localize=True,  # a Dutch decimal comma
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Een getal tussen 0 en 1, bijvoorbeeld 0,80 (Cronbachs alfa of test-hertest)."),
    )

    def __init__(self, *args, domain_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("— Kies een uitkomstdomein —")), *domain_choices]

    def clean_items(self) -> list[int]:
        text = (self.cleaned_data.get("items") or "").strip()
        numbers: list[int] = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            match = _RANGE.match(part)
            if match:
                start, end = int(match[1]), int(match[2])
                if start > end or end - start > MAX_ITEMS:
                    raise forms.ValidationError(
                        _("Schrijf een reeks als 1-5, het laagste nummer eerst.")
                    )
                numbers.extend(range(start, end + 1))
            elif part.isdigit() and len(part) <= 3:
                numbers.append(int(part))
            else:
                raise forms.ValidationError(
                    _("Schrijf de nummers van de vragen, bijvoorbeeld 1, 2, 3 of 1-5.")
                )
        return numbers

    def clean_cutoffs(self) -> list[tuple[float, float, str]]:
        cutoffs = []
        for line in (self.cleaned_data.get("cutoffs") or "").splitlines():
            if not line.strip():
                continue
            match = _CUTOFF.match(line.strip())
            if not match:
                raise forms.ValidationError(
                    _(
                        "Schrijf elke categorie als ‘van-tot: naam’, bijvoorbeeld ‘5-10: laag’ "
                        "(nu: ‘%(line)s’)."
                    )
                    % {"line": line.strip()[:60]}
                )
            name = match[3].strip()
            if len(name) > 100:
                raise forms.ValidationError(_("De naam van een categorie is hoogstens 100 tekens."))
            cutoffs.append((_dec(match[1]), _dec(match[2]), name))
        return cutoffs

    def clean_reliability(self) -> Decimal | None:
        value = self.cleaned_data.get("reliability")
        if value is not None and not 0 < value < 1:
            raise forms.ValidationError(
                _("De betrouwbaarheid ligt tussen 0 en 1, bijvoorbeeld 0,80.")
            )
        return value

    def clean_max_missing(self) -> int:
        return self.cleaned_data.get("max_missing") or 0


class BaseRowFormSet(forms.BaseFormSet):
    """Rows redrawn from what was typed are initial forms; they may stay blank all the same."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = True
        return form

    def used_forms(self) -> list[tuple[int, forms.Form]]:
        """(row number, form) of the rows that were filled in."""
        return [(n, form) for n, form in enumerate(self.forms, start=1) if form.has_changed()]


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseRowFormSet, extra=0, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS
)
ScaleFormSet = forms.formset_factory(
    ScaleForm, formset=BaseRowFormSet, extra=0, max_num=MAX_SCALES, absolute_max=MAX_SCALES
)
