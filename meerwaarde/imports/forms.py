"""The guided import's forms: the upload, a field per column, a target per local name, and
the choice of what to do with bad rows."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meerwaarde.core.forms import StyledForm

from .fields import CLIENT_REFERENCE, PSEUDONYM, ImportKind, fields_for
from .flow import UnknownName
from .models import OnErrorChoice

DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024
EXTENSIONS = (".csv", ".txt", ".xlsx")

KIND_HELP: dict[str, object] = {
    ImportKind.OFFERS: gettext_lazy(
        "Uw aanbod: één rij per aanbod met de naam, de soort interventie, een beschrijving, "
        "thema's, doelgroepen en de plaats. Aanbod dat er al is, blijft zoals het is."
    ),
    ImportKind.MEASUREMENTS: gettext_lazy(
        "Trajecten met hun metingen: één rij per meting met het cliëntnummer (wordt een "
        "pseudoniem), het aanbod, de startdatum, het meetinstrument, het moment, de datum en "
        "een kolom per vraag (bijvoorbeeld e1, s1 voor De Jong Gierveld)."
    ),
    ImportKind.ACTIVITIES: gettext_lazy(
        "Activiteiten per maand: één rij per aanbod per maand met bijeenkomsten, bereikte en "
        "nieuwe deelnemers, vrijwilligers en hun uren."
    ),
    ImportKind.REFERRALS: gettext_lazy(
        "Verwijzingen per maand: één rij per aanbod, maand, richting (in: naar ons verwezen, "
        "out: door ons doorverwezen) en verwijzer, met het aantal. De maand moet al in "
        "Meerwaarde staan: lees eerst de activiteiten in."
    ),
    ImportKind.SIGNALS: gettext_lazy(
        "Vroegsignalen per maand: één rij per aanbod, maand en thema, met het aantal "
        "signalen. De maand moet al in Meerwaarde staan: lees eerst de activiteiten in."
    ),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD))


class UploadForm(StyledForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Wat wilt u inlezen?"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("Bestand"),
        help_text=gettext_lazy(
            "Een CSV-bestand (puntkomma of komma) of een Excel-werkmap (.xlsx); de eerste rij "
            "bevat de kolomnamen."
        ),
        error_messages={
            "required": gettext_lazy("Kies een bestand."),
            "empty": gettext_lazy("Het bestand is leeg (0 bytes)."),
        },
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if file.size > limit:
            raise forms.ValidationError(
                _(
                    "Het bestand is %(size)s; het mag hoogstens %(limit)s zijn. Splits het in "
                    "delen en lees die na elkaar in."
                )
                % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
            )
        if not (file.name or "").lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("Kies een CSV-bestand (.csv) of een Excel-werkmap (.xlsx).")
            )
        return file


def _field_key(index: int) -> str:
    return f"kolom_{index}"


class ColumnMapForm(StyledForm):
    """One select per column of the file; the value is the field (or answer code) it fills."""

    def __init__(
        self,
        *args,
        kind: str,
        columns: list[str],
        initial_map: dict[str, str],
        answer_codes: dict[str, str],
        **kwargs,
    ) -> None:
        self.kind, self.columns = kind, columns
        super().__init__(*args, **kwargs)
        specs = fields_for(kind)
        field_choices = [
            (
                name,
                _("%(label)s (verplicht)") % {"label": spec.label}
                if spec.required
                else str(spec.label),
            )
            for name, spec in specs.items()
        ]
        for index, column in enumerate(columns):
            choices = [("", _("Niet inlezen")), *field_choices]
            code = answer_codes.get(column.strip().casefold())
            if kind == ImportKind.MEASUREMENTS and code is not None and code not in specs:
                choices.append((code, _("Antwoord op vraag %(code)s") % {"code": code}))
            initial = initial_map.get(column)
            if initial is None and len(choices) > 1 + len(field_choices):
                initial = code
            self.fields[_field_key(index)] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=False,
                initial=initial or "",
            )
            # Re-apply the widget class StyledForm gave the fields it saw at __init__.
            self.fields[_field_key(index)].widget.attrs["class"] = (
                "utrecht-select utrecht-select--html-select"
            )

    def column_fields(self):
        return [self[_field_key(index)] for index in range(len(self.columns))]

    def clean(self):
        cleaned = super().clean()
        mapping: dict[str, str] = {}
        seen: dict[str, int] = {}
        for index, column in enumerate(self.columns):
            target = cleaned.get(_field_key(index)) or ""
            if not target:
                continue
            if target in seen:
                self.add_error(
                    _field_key(index),
                    _("Ook kolom ‘%(other)s’ is aan dit veld gekoppeld; kies er één.")
                    % {"other": self.columns[seen[target]]},
                )
                continue
            seen[target] = index
            mapping[column] = target
        specs = fields_for(self.kind)
        missing = [
            str(spec.label) for name, spec in specs.items() if spec.required and name not in seen
        ]
        if missing:
            self.add_error(
                None,
                _("Koppel een kolom aan elk verplicht veld. Nog niet gekoppeld: %(fields)s.")
                % {"fields": ", ".join(missing)},
            )
        if self.kind == ImportKind.MEASUREMENTS and not {CLIENT_REFERENCE, PSEUDONYM} & set(seen):
            self.add_error(None, _("Koppel een kolom aan het cliëntnummer of aan het pseudoniem."))
        cleaned["column_map"] = mapping
        return cleaned


class NameMapForm(StyledForm):
    """One select per unknown local name: a concept of its list, or one of the offers."""

    def __init__(
        self,
        *args,
        names: list[UnknownName],
        choices: dict[str, list[tuple[str, str]]],
        **kwargs,
    ) -> None:
        self.names = names
        super().__init__(*args, **kwargs)
        for index, item in enumerate(names):
            options: list = [("", _("Nog niet koppelen"))]
            if item.suggestions:
                options.append((_("Suggesties"), item.suggestions))
            options.append((_("Alle keuzes"), choices[item.scheme]))
            self.fields[f"naam_{index}"] = forms.ChoiceField(
                label=item.name, choices=options, required=False
            )
            self.fields[f"naam_{index}"].widget.attrs["class"] = (
                "utrecht-select utrecht-select--html-select"
            )

    def name_fields(self):
        return [(item, self[f"naam_{index}"]) for index, item in enumerate(self.names)]

    def chosen(self) -> list[tuple[UnknownName, str]]:
        return [
            (item, self.cleaned_data[f"naam_{index}"])
            for index, item in enumerate(self.names)
            if self.cleaned_data.get(f"naam_{index}")
        ]


class StartForm(StyledForm):
    on_error = forms.ChoiceField(
        label=gettext_lazy("Wat gebeurt er met rijen met een probleem?"),
        choices=[
            (
                OnErrorChoice.ALL_OR_NOTHING,
                gettext_lazy(
                    "Alles of niets: er wordt alleen ingelezen als geen enkele rij een "
                    "probleem heeft"
                ),
            ),
            (
                OnErrorChoice.SKIP,
                gettext_lazy(
                    "Sla foute rijen over: de goede rijen worden ingelezen, de foute krijgt u "
                    "terug als bestand met de reden per rij"
                ),
            ),
        ],
        initial=OnErrorChoice.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, problems: int, **kwargs) -> None:
        self.problems = problems
        super().__init__(*args, **kwargs)

    def clean_on_error(self) -> str:
        choice = self.cleaned_data["on_error"]
        if choice == OnErrorChoice.ALL_OR_NOTHING and self.problems:
            raise forms.ValidationError(
                _(
                    "Met ‘alles of niets’ wordt niets ingelezen zolang er rijen met een "
                    "probleem zijn. Verbeter het bestand en laad het opnieuw op, of kies "
                    "‘sla foute rijen over’."
                )
            )
        return choice


class RestoreForm(StyledForm):
    """The upload of a Meerwaarde export (the zip of CSV files), checked at once: a file that
    is not an export never reaches the job."""

    file = forms.FileField(
        label=gettext_lazy("Export van Meerwaarde (zip)"),
        help_text=gettext_lazy(
            "Het zip-bestand dat Meerwaarde maakte bij ‘Exporteren’, in de variant "
            "‘CSV-bestanden in een zip’. Open het niet en sla het niet opnieuw op."
        ),
        error_messages={
            "required": gettext_lazy("Kies een bestand."),
            "empty": gettext_lazy("Het bestand is leeg (0 bytes)."),
        },
    )

    def clean_file(self):
        from .reading import FileProblem
        from .restore import check_archive

        file = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if file.size > limit:
            raise forms.ValidationError(
                _("Het bestand is %(size)s; het mag hoogstens %(limit)s zijn.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
            )
        try:
            check_archive(file)
        except FileProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return file
