from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.forms import StyledForm, StyledModelForm
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme
from meerwaarde.vocabulary.services import EDITABLE_FIELDS, clean_synonyms


class SynonymsField(forms.CharField):
    """A textarea with one synonym per line; cleans to a list of strings."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:  # type: ignore[override]
        return clean_synonyms(super().to_python(value) or "")


class ConceptChoiceField(forms.ModelChoiceField):
    """A concept select that says which list each concept is in."""

    def label_from_instance(self, obj: Concept) -> str:
        return f"{obj.scheme.label_nl}: {obj.pref_label_nl}"


class ConceptForm(StyledModelForm):
    """Create or edit a concept; on edit the code and list are fixed and a reason is required."""

    synonyms = SynonymsField(
        label=_("Synoniemen"),
        required=False,
        help_text=_("Eén per regel: de namen die organisaties en gemeenten gebruiken."),
    )
    broader = ConceptChoiceField(
        label=_("Breder begrip"), queryset=Concept.objects.none(), required=False
    )
    replaced_by = ConceptChoiceField(
        label=_("Vervangen door"),
        queryset=Concept.objects.none(),
        required=False,
        help_text=_(
            "Alleen bij een vervallen begrip: het vastgestelde begrip dat ervoor in de plaats komt."
        ),
    )

    class Meta:
        model = Concept
        fields = ["scheme", "code", *EDITABLE_FIELDS]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 4}),
            "definition_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "code": _(
                "Vast en uniek: kleine letters, cijfers en streepjes, zoals "
                "‘interventie-maatjesproject’. Na het opslaan kan de code niet meer veranderen."
            ),
            "version": _("Bijvoorbeeld 2026.1."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        concepts = Concept.objects.select_related("scheme").order_by(
            "scheme__position", "pref_label_nl"
        )
        if self.editing:
            # Code and list are part of URIs and of every mapping: they stay as they are.
            self.fields["code"].disabled = True
            self.fields["scheme"].disabled = True
            same_scheme = concepts.filter(scheme_id=self.instance.scheme_id).exclude(
                pk=self.instance.pk
            )
            self.fields["broader"].queryset = same_scheme.exclude(
                status=ConceptStatus.DEPRECATED
            ).exclude(pk__in=self._descendant_ids())
            self.fields["replaced_by"].queryset = same_scheme.filter(status=ConceptStatus.ACCEPTED)
            self.fields["change_reason"] = forms.CharField(
                label=_("Reden van wijziging"),
                max_length=200,
                help_text=_(
                    "Komt in de geschiedenis van dit begrip, bijvoorbeeld ‘synoniem toegevoegd’."
                ),
            )
        else:
            self.fields["broader"].queryset = concepts.exclude(status=ConceptStatus.DEPRECATED)
            self.fields["replaced_by"].queryset = concepts.filter(status=ConceptStatus.ACCEPTED)
        self.fields["scheme"].queryset = ConceptScheme.objects.order_by("position")
        # The form template's StyledFormMixin ran before change_reason existed.
        if "change_reason" in self.fields:
            self.fields["change_reason"].widget.attrs["class"] = (
                "utrecht-textbox utrecht-textbox--html-input"
            )

    def _descendant_ids(self) -> set[int]:
        ids, frontier = set(), {self.instance.pk}
        while frontier:
            frontier = (
                set(Concept.objects.filter(broader_id__in=frontier).values_list("pk", flat=True))
                - ids
            )
            ids |= frontier
        return ids

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().lower()

    def service_fields(self) -> dict:
        names = [n for n in self.Meta.fields if not self.fields[n].disabled]
        return {name: self.cleaned_data[name] for name in names}


# Organisations mostly map the names of their offers, so "Soort begrip" starts there.
DEFAULT_MAPPING_SCHEME = "intervention_types"


def mapping_scheme(code: str | None) -> str | None:
    """The concept scheme a mapping form asks for: ``code`` if it exists, else the default
    (or, without that one, none: then all lists are searched)."""
    codes = set(ConceptScheme.objects.values_list("code", flat=True))
    if code in codes:
        return code
    return DEFAULT_MAPPING_SCHEME if DEFAULT_MAPPING_SCHEME in codes else None


class LocalNameForm(StyledForm):
    """Link a local name to a concept: pick a suggestion, or any accepted concept of the chosen
    list (concept scheme) from the select."""

    scheme = forms.ChoiceField(
        label=_("Soort begrip"),
        help_text=_(
            "Waar u de naam aan koppelt. Meestal is dat een interventietype: een soort aanbod."
        ),
    )
    local_name = forms.CharField(
        label=_("Lokale naam"),
        max_length=200,
        help_text=_(
            "Zoals uw organisatie of gemeente het noemt, bijvoorbeeld ‘Maatjesproject Zwolle’."
        ),
    )
    concept = forms.ChoiceField(label=_("Suggesties"), required=False, widget=forms.RadioSelect)
    other_concept = ConceptChoiceField(
        label=_("Of kies zelf een begrip"),
        queryset=Concept.objects.none(),
        required=False,
        empty_label=_("— geen keuze —"),
        to_field_name="code",
    )

    def __init__(
        self,
        *args,
        suggestions=(),
        scheme: str | None = None,
        organisation_slug: str = "",
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)
        self.fields["concept"].choices = [
            (s.concept.code, s.concept.code) for s in self.suggestions
        ]
        self.fields["scheme"].choices = list(
            ConceptScheme.objects.order_by("position", "code").values_list("code", "label_nl")
        )
        self.fields["scheme"].initial = scheme
        # Only the chosen list, plus a concept already chosen from another one: a choice made
        # before the list was changed (without JavaScript the select is not redrawn) stays.
        accepted = Concept.objects.filter(status=ConceptStatus.ACCEPTED)
        if scheme is not None:
            chosen = self["other_concept"].value()
            accepted = accepted.filter(
                Q(scheme__code=scheme) | Q(code=chosen if isinstance(chosen, str) else "")
            )
        self.fields["other_concept"].queryset = accepted.select_related("scheme").order_by(
            "scheme__position", "pref_label_nl"
        )
        if organisation_slug:
            # Typing a name or choosing another list fetches the suggestions again; each
            # request sends the other field too, and a newer request replaces an older one.
            url = reverse_lazy(
                "vocabulary:mapping_suggestions", kwargs={"org_slug": organisation_slug}
            )
            htmx = {
                "hx-get": url,
                "hx-target": "#mw-suggestions",
                "hx-swap": "innerHTML",
                "hx-sync": "closest form:replace",
            }
            self.fields["local_name"].widget.attrs.update(
                htmx,
                **{
                    "autocomplete": "off",
                    "hx-trigger": "input changed delay:400ms, search",
                    "hx-include": "#id_scheme, #id_other_concept",
                },
            )
            self.fields["scheme"].widget.attrs.update(
                htmx,
                **{"hx-trigger": "change", "hx-include": "#id_local_name, #id_other_concept"},
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        other = cleaned.get("other_concept")
        code = cleaned.get("concept")
        if other is not None:
            cleaned["chosen"] = other
        elif code:
            cleaned["chosen"] = Concept.objects.filter(code=code).first()
        if not cleaned.get("chosen") and "local_name" in cleaned:
            field = "concept" if self.suggestions else "other_concept"
            self.add_error(field, _("Kies een begrip uit de suggesties of uit de lijst."))
        return cleaned
