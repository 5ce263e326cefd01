"""The report form and its practice stories. Everything typed comes back on an error."""

import re
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meerwaarde.analysis.forms import MonthField
from meerwaarde.core.forms import StyledForm
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.pseudonyms import is_bsn
from meerwaarde.reports.models import Report
from meerwaarde.reports.services import StoryData

_CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"
# What gives a person away at a glance: a BSN, an e-mail address, a phone number.
_NINE_DIGITS = re.compile(r"(?<!\d)\d(?:[ .-]?\d){8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\d)(?:\+31|0031|0)[ -]?(?:\d[ -]?){9}(?!\d)")
STORY_MAX = 5000


class OfferCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Offer) -> str:
        if obj.intervention_type is None:
            return obj.name
        return f"{obj.name} ({obj.intervention_type.pref_label_nl})"


OTHER_FUNDER = "anders"


def _funder_choices(organisation: Organisation) -> list:
    """Municipalities first, then the other kinds of partner, each group by name; last, a
    funder that is not on the platform."""
    order = [OrganisationKind.MUNICIPALITY, *[k for k in OrganisationKind if k != "municipality"]]
    funders = sorted(
        Organisation.objects.exclude(pk=organisation.pk).only("pk", "name", "kind"),
        key=lambda o: (order.index(o.kind) if o.kind in order else len(order), o.name),
    )
    choices: list = [("", _("Kies een financier"))]
    for kind, group in groupby(funders, key=lambda o: o.kind):
        label = OrganisationKind(kind).label if kind in OrganisationKind.values else kind
        choices.append((label, [(str(o.pk), o.name) for o in group]))
    choices.append((OTHER_FUNDER, _("Een andere financier, niet in deze lijst")))
    return choices


class ReportForm(StyledForm):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Verantwoording welzijn 2025 voor de gemeente Zwolle."),
    )
    funder = forms.ChoiceField(
        label=_("Financier"),
        help_text=_("De gemeente of partner voor wie deze verantwoording is."),
        error_messages={"required": _("Kies een financier.")},
    )
    funder_name = forms.CharField(
        label=_("Naam van de andere financier"),
        max_length=200,
        required=False,
        help_text=_("Alleen als de financier niet in de lijst staat."),
    )
    start = MonthField(label=_("Eerste maand"), help_text=_("Bijvoorbeeld 2025-01."))
    end = MonthField(label=_("Laatste maand"), help_text=_("Bijvoorbeeld 2025-12."))
    offers = OfferCheckboxes(
        label=_("Aanbod"),
        queryset=Offer.objects.none(),
        required=False,
        help_text=_(
            "Kiest u niets, dan staan de cijfers van al uw aanbod samen in de verantwoording. "
            "Kiest u aanbod, dan krijgt elk gekozen aanbod een eigen hoofdstuk."
        ),
    )
    include_programmes = forms.BooleanField(
        label=_("Voortgang van de programma's van uw organisatie opnemen"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["funder"].choices = _funder_choices(organisation)
        self.fields["offers"].queryset = (
            Offer.objects.filter(organisation=organisation)
            .select_related("intervention_type")
            .order_by("name", "pk")
        )
        self.fields["offers"].widget.attrs["class"] = _CHECKBOX

    def clean_funder(self) -> Organisation | None:
        """The organisation chosen, or None for a funder off the platform."""
        value = self.cleaned_data["funder"]
        if value == OTHER_FUNDER:
            return None
        funder = Organisation.objects.exclude(pk=self.organisation.pk).filter(pk=value).first()
        if funder is None:
            raise ValidationError(_("Kies een financier uit de lijst."), code="invalid_choice")
        return funder

    def clean(self) -> dict:
        data = super().clean()
        name = (data.get("funder_name") or "").strip()
        if "funder" in data:
            if data["funder"] is None and not name:
                self.add_error("funder_name", _("Vul de naam van de financier in."))
            elif data["funder"] is not None:
                # A funder from the list wins over a name typed before it was chosen.
                data["funder_name"] = ""
        first, last = data.get("start"), data.get("end")
        if first and last and first > last:
            self.add_error("end", _("De laatste maand ligt vóór de eerste. Draai ze om."))
        return data


def initial_for(report: Report) -> dict:
    return {
        "title": report.title,
        "funder": str(report.funder_id) if report.funder_id else OTHER_FUNDER,
        "funder_name": report.funder_name,
        "start": report.start,
        "end": report.end,
        "offers": list(report.offers.values_list("pk", flat=True)),
        "include_programmes": report.include_programmes,
    }


def check_identifying(text: str) -> None:
    """Refuse what identifies someone at a glance; names cannot be found this way, so the
    form warns about them too."""
    candidates = [re.sub(r"\D", "", m) for m in _NINE_DIGITS.findall(text)]
    if any(is_bsn(digits) for digits in candidates):
        raise ValidationError(
            _("Haal het burgerservicenummer weg: het verhaal mag niemand herkenbaar maken."),
            code="bsn",
        )
    if _EMAIL.search(text):
        raise ValidationError(
            _("Haal het e-mailadres weg: het verhaal mag niemand herkenbaar maken."),
            code="email",
        )
    if _PHONE.search(text):
        raise ValidationError(
            _("Haal het telefoonnummer weg: het verhaal mag niemand herkenbaar maken."),
            code="phone",
        )


class StoryForm(StyledForm):
    title = forms.CharField(label=_("Titel van het verhaal"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Verhaal"),
        max_length=STORY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        check_identifying(title)
        return title

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        check_identifying(text)
        return text

    def clean(self) -> dict:
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        title, text = data.get("title"), data.get("text")
        if title and not text and "text" not in self.errors:
            self.add_error("text", _("Schrijf het verhaal, of maak ook de titel leeg."))
        elif text and not title and "title" not in self.errors:
            self.add_error("title", _("Geef het verhaal een titel."))
        return data


class BaseStoryFormSet(forms.BaseFormSet):
    def stories(self) -> list[StoryData]:
        """The filled-in stories in the chosen order (empty and removed ones left out)."""
        kept = [
            form
            for form in self.ordered_forms
            if form.cleaned_data.get("title") and not form.cleaned_data.get("DELETE")
        ]
        return [StoryData(f.cleaned_data["title"], f.cleaned_data["text"]) for f in kept]

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Volgorde")
        form.fields["ORDER"].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"
        form.fields["DELETE"].label = _("Verwijder dit verhaal")
        form.fields["DELETE"].widget.attrs["class"] = _CHECKBOX


StoryFormSet = forms.formset_factory(
    StoryForm,
    formset=BaseStoryFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


def story_formset(data=None, *, report: Report | None = None, more: bool = False):
    """The stories of ``report`` (or none) with one empty form; ``more`` adds another."""
    initial = (
        [{"title": s.title, "text": s.text, "ORDER": s.position} for s in report.stories.all()]
        if report is not None
        else []
    )
    if data is not None and more:
        data = data.copy()
        key = "verhalen-TOTAL_FORMS"
        data[key] = str(int(data.get(key) or 0) + 1)
    return StoryFormSet(data, initial=initial, prefix="verhalen")
