"""Forms of the programme pages. Plain forms: the services hold the rules, the forms only turn
what was typed into the services' arguments (a Dutch decimal comma is fine everywhere)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.forms import StyledForm
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.places.selectors import place_get_by_label, place_is_ambiguous
from meerwaarde.programmes.constants import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_VALUE,
    TARGET_GROUPS,
    THEMES,
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
)
from meerwaarde.programmes.models import Programme, ResultNode
from meerwaarde.programmes.selectors import BindingChoices
from meerwaarde.programmes.services import programme_errors
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

_CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"
_RADIO = "utrecht-radio-button utrecht-radio-button--html-input"


class _Checkboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return getattr(obj, "pref_label_nl", None) or str(obj)


def _value_field(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(-MAX_VALUE),
        max_value=Decimal(MAX_VALUE),
        localize=True,
        **kwargs,
    )


def _year_field(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 6}),
        **kwargs,
    )


def _accepted(scheme: str):
    return Concept.objects.filter(scheme__code=scheme, status=ConceptStatus.ACCEPTED).order_by(
        "pref_label_nl", "pk"
    )


class _Styled(StyledForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = _CHECKBOX
            elif isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = _RADIO


class ProgrammeForm(_Styled):
    name = forms.CharField(label=_("Naam"), max_length=200)
    description = forms.CharField(
        label=_("Beschrijving"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat het programma wil bereiken, voor wie en waarom."),
    )
    start_year = _year_field(_("Eerste jaar"))
    end_year = _year_field(
        _("Laatste jaar"), help_text=_("Een programma loopt meerdere jaren, hooguit tien.")
    )
    places = forms.CharField(
        label=_("Gemeenten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eén plaats per regel, zoals ‘Zwolle’ of ‘Hengelo (Overijssel)’. Leeg: kies een "
            "provincie."
        ),
    )
    province = forms.ChoiceField(
        label=_("Provincie of regio"),
        required=False,
        choices=[("", _("— Geen provincie —")), *Province.choices],
    )
    themes = _Checkboxes(label=_("Thema's"), queryset=Concept.objects.none(), required=False)
    target_groups = _Checkboxes(
        label=_("Doelgroepen"), queryset=Concept.objects.none(), required=False
    )
    is_public = forms.BooleanField(
        label=_("Openbaar: iedereen mag het programma en de voortgang zien"),
        required=False,
        help_text=_(
            "Ook dan ziet niemand buiten uw organisatie cijfers over minder dan tien deelnemers."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = _accepted(THEMES)
        self.fields["target_groups"].queryset = _accepted(TARGET_GROUPS)

    def clean_places(self) -> list[Place]:
        found, unknown = [], []
        for line in self.cleaned_data.get("places", "").replace(";", "\n").splitlines():
            label = line.strip()
            if not label:
                continue
            place = place_get_by_label(label=label)
            if place is None:
                unknown.append(label)
            elif place not in found:
                found.append(place)
        if unknown:
            ambiguous = [label for label in unknown if place_is_ambiguous(label=label)]
            if ambiguous:
                raise forms.ValidationError(
                    _(
                        "Er zijn meerdere plaatsen met de naam %(names)s. Zet de provincie "
                        "erachter, zoals ‘Hengelo (Overijssel)’."
                    )
                    % {"names": ", ".join(f"‘{n}’" for n in ambiguous)}
                )
            raise forms.ValidationError(
                _("Deze plaatsen kennen we niet: %(names)s. Controleer de spelling.")
                % {"names": ", ".join(f"‘{n}’" for n in unknown)}
            )
        return found

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start_year") and data.get("end_year"):
            errors = programme_errors(
                name=data.get("name") or "-",
                start_year=data["start_year"],
                end_year=data["end_year"],
                province=data.get("province") or "",
                themes=[],
                target_groups=[],
            )
            for field in ("start_year", "end_year"):
                if field in errors and field not in self.errors:
                    self.add_error(field, errors[field])
        return data

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


def programme_initial(programme: Programme) -> dict:
    return {
        "name": programme.name,
        "description": programme.description,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "places": "\n".join(place.label for place in programme.places.all()),
        "province": programme.province,
        "themes": [c.pk for c in programme.themes.all()],
        "target_groups": [c.pk for c in programme.target_groups.all()],
        "is_public": programme.is_public,
    }


class PartnerForm(_Styled):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie op het platform"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Niet op het platform —"),
        help_text=_("Staat de partner op Meerwaarde? Kies hem dan hier; naam en soort volgen."),
    )
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        required=False,
        help_text=_("Alleen nodig voor een partner die niet op het platform staat."),
    )
    kind = forms.ChoiceField(
        label=_("Soort partner"),
        required=False,
        choices=[("", _("— Kies —")), *OrganisationKind.choices],
    )
    role = forms.CharField(
        label=_("Rol in het programma"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: opdrachtgever, verwijst deelnemers, levert vrijwilligers."),
    )

    def __init__(self, *args, programme: Programme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            pk=programme.organisation_id
        ).order_by("name", "pk")


class NodeForm(_Styled):
    level = forms.ChoiceField(label=_("Niveau in de resultatenketen"), choices=Level.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Wat wordt er gemeten of geteld, en hoe? Bijvoorbeeld: aantal nieuwe "
            "deelnemers aan de maatjesprojecten per jaar."
        ),
    )
    unit = forms.CharField(
        label=_("Eenheid"),
        max_length=40,
        required=False,
        help_text=_("Bijvoorbeeld: deelnemers, uren, procent."),
    )
    direction = forms.ChoiceField(
        label=_("Richting"),
        choices=Direction.choices,
        initial=Direction.HIGHER,
        widget=forms.RadioSelect,
    )
    baseline_value = _value_field(_("Nulmeting: waarde"))
    baseline_year = _year_field(_("Nulmeting: jaar"), required=False)
    source = forms.ChoiceField(
        label=_("Waar komt de waarde vandaan?"),
        choices=DataSource.choices,
        initial=DataSource.MANUAL,
        widget=forms.RadioSelect,
    )
    activity_measure = forms.ChoiceField(
        label=_("Telling (bij een activiteitentelling)"),
        required=False,
        choices=[("", _("— Kies een telling —")), *ActivityMeasure.choices],
    )
    scale = forms.ChoiceField(
        label=_("Meetinstrument en schaal (bij een uitkomstcijfer)"), required=False
    )
    statistic = forms.ChoiceField(
        label=_("Cijfer (bij een uitkomstcijfer)"),
        required=False,
        choices=[("", _("— Kies een cijfer —")), *OutcomeStatistic.choices],
    )
    offers = _Checkboxes(
        label=_("Aanbod"),
        queryset=Offer.objects.none(),
        required=False,
        help_text=_("Niets gekozen, ook geen soort: al het aanbod van uw organisatie."),
    )
    intervention_types = _Checkboxes(
        label=_("Soorten interventie"),
        queryset=Concept.objects.none(),
        required=False,
        help_text=_("Al het aanbod van uw organisatie van deze soort telt mee."),
    )
    leads_to = _Checkboxes(
        label=_("Leidt tot"),
        queryset=ResultNode.objects.none(),
        required=False,
        help_text=_("Stappen op een hoger niveau waaraan deze stap bijdraagt."),
    )

    def __init__(
        self,
        *args,
        programme: Programme,
        choices: BindingChoices,
        node: ResultNode | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = {instrument.pk: instrument for instrument in choices.instruments}
        groups: list = [("", _("— Kies een schaal —"))]
        for instrument in self.instruments.values():
            groups.append(
                (
                    instrument.name,
                    [
                        (f"{instrument.pk}:{scale.code}", f"{instrument.name} – {scale.label}")
                        for scale in instrument.parsed.scales
                    ],
                )
            )
        self.fields["scale"].choices = groups
        self.fields["offers"].queryset = choices.offers
        self.fields["intervention_types"].queryset = choices.intervention_types
        others = programme.nodes.all()
        if node is not None:
            others = others.exclude(pk=node.pk)
        self.fields["leads_to"].queryset = others.order_by("position", "pk")
        self.fields["leads_to"].label_from_instance = lambda n: (
            f"{n.title} ({Level(n.level).label})"
        )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        instrument, scale = None, ""
        if data.pop("scale", ""):
            pk, _sep, scale = self.cleaned_data["scale"].partition(":")
            instrument = self.instruments.get(int(pk))
        data["instrument"] = instrument
        data["scale"] = scale
        return data


def node_initial(node: ResultNode) -> dict:
    return {
        "level": node.level,
        "title": node.title,
        "indicator": node.indicator,
        "unit": node.unit,
        "direction": node.direction,
        "baseline_value": node.baseline_value,
        "baseline_year": node.baseline_year,
        "source": node.source,
        "activity_measure": node.activity_measure,
        "scale": f"{node.instrument_id}:{node.scale}" if node.instrument_id else "",
        "statistic": node.statistic,
        "offers": [offer.pk for offer in node.offers.all()],
        "intervention_types": [c.pk for c in node.intervention_types.all()],
        "leads_to": [n.pk for n in node.leads_to.all()],
    }


class TargetsForm(_Styled):
    """A target per year of the programme: ``target_<year>``; empty removes it."""

    def __init__(self, *args, node: ResultNode, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        unit = f" ({node.unit})" if node.unit else ""
        for year in node.programme.years:
            self.fields[f"target_{year}"] = _value_field(
                _("Doel voor %(year)s") % {"year": year} + unit
            )
        self.node = node

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"target_{year}") for year in self.node.programme.years}


def targets_initial(node: ResultNode) -> dict:
    return {f"target_{target.year}": target.value for target in node.targets.all()}


class ManualValuesForm(_Styled):
    """Per year a value and its source (``value_<year>``, ``source_<year>``); both empty
    removes the year's value."""

    def __init__(self, *args, node: ResultNode, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for year in node.programme.years:
            self.fields[f"value_{year}"] = _value_field(_("Waarde in %(year)s") % {"year": year})
            self.fields[f"source_{year}"] = forms.CharField(
                label=_("Bron van de waarde in %(year)s") % {"year": year},
                max_length=300,
                required=False,
                help_text=_("Bijvoorbeeld: Gezondheidsmonitor GGD, peiling 2024."),
            )
        self.node = node

    def per_year(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (year, self[f"value_{year}"], self[f"source_{year}"])
            for year in self.node.programme.years
        ]

    def clean(self) -> dict:
        data = super().clean()
        for year in self.node.programme.years:
            value, source = data.get(f"value_{year}"), (data.get(f"source_{year}") or "").strip()
            if value is None and source and f"value_{year}" not in self.errors:
                self.add_error(f"value_{year}", _("Vul bij de bron ook de waarde in."))
            elif value is not None and not source:
                self.add_error(
                    f"source_{year}",
                    _("Geef de bron van de waarde, bijvoorbeeld ‘Gezondheidsmonitor GGD 2024’."),
                )
        return data


def manual_initial(node: ResultNode) -> dict:
    initial: dict = {}
    for manual in node.manual_values.all():
        initial[f"value_{manual.year}"] = manual.value
        initial[f"source_{manual.year}"] = manual.source
    return initial
