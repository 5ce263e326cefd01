"""The programmes API's shapes. The serializers describe them (and so the OpenAPI document);
``programme_data`` and ``progress_data`` fill them from a programme and its suppressed
progress. A hidden value is ``null`` with ``"hidden": true`` beside it, never 0."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from meerwaarde.programmes.constants import DataSource
from meerwaarde.programmes.models import Programme, ResultNode
from meerwaarde.programmes.progress import Progress, YearValue


class ProgrammeErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConceptSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("De vaste code van het begrip in het vocabulaire."))
    label = serializers.CharField(help_text=_("De voorkeursterm."))


class PartnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField(help_text=_("Soort organisatie, zoals ‘municipality’."))
    role = serializers.CharField(allow_blank=True)


class OwnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    organisation = OwnerSerializer(help_text=_("De eigenaar van het programma."))
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    is_public = serializers.BooleanField()
    municipalities = serializers.ListField(child=serializers.CharField())
    province = serializers.CharField(allow_blank=True)
    themes = ConceptSerializer(many=True)
    target_groups = ConceptSerializer(many=True)
    partners = PartnerSerializer(many=True)
    url = serializers.URLField(help_text=_("Dit programma met zijn voortgang in de API."))
    page_url = serializers.URLField(
        allow_null=True, help_text=_("De openbare pagina, als het programma openbaar is.")
    )


class ProgrammePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ProgrammeSerializer(many=True)


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(
        allow_null=True,
        help_text=_("Null als er (nog) geen waarde is, of als die verborgen is (zie hidden)."),
    )
    hidden = serializers.BooleanField(
        help_text=_("Waar als de waarde op minder dan k deelnemers rust en daarom verborgen is.")
    )
    status = serializers.CharField(
        help_text=_("met, not_met, on_track, behind, no_target, no_value, hidden of future.")
    )
    on_track = serializers.BooleanField(allow_null=True)
    running = serializers.BooleanField(help_text=_("Het jaar loopt nog."))
    source = serializers.CharField(
        allow_blank=True, help_text=_("De bron van een handmatig ingevulde waarde.")
    )


class BaselineSerializer(serializers.Serializer):
    value = serializers.FloatField()
    year = serializers.IntegerField()


class NodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField(help_text=_("input, activity, output, outcome of impact."))
    level_concept = serializers.CharField(
        help_text=_("Het begrip van het niveau, zoals ‘keten-output’.")
    )
    title = serializers.CharField()
    indicator = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    direction = serializers.CharField(help_text=_("higher of lower: welke kant beter is."))
    data_source = serializers.CharField(help_text=_("activity, outcome of manual."))
    measure = serializers.CharField(
        allow_blank=True, help_text=_("De telling (activity) of het cijfer (outcome).")
    )
    instrument = serializers.CharField(allow_blank=True)
    scale = serializers.CharField(allow_blank=True)
    baseline = BaselineSerializer(allow_null=True)
    leads_to = serializers.ListField(child=serializers.IntegerField())
    years = YearSerializer(many=True)


class ProgrammeDetailSerializer(ProgrammeSerializer):
    k = serializers.IntegerField(help_text=_("Waarden op minder dan k deelnemers zijn verborgen."))
    years = serializers.ListField(child=serializers.IntegerField())
    nodes = NodeSerializer(
        many=True, help_text=_("De stappen van de resultatenketen, van input tot impact.")
    )


def _concepts(concepts) -> list[dict]:
    return [{"code": c.code, "label": c.pref_label_nl} for c in concepts]


def programme_data(programme: Programme, request: Request) -> dict:
    return {
        "id": programme.pk,
        "name": programme.name,
        "description": programme.description,
        "organisation": {"name": programme.organisation.name, "slug": programme.organisation.slug},
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "is_public": programme.is_public,
        "municipalities": [place.name for place in programme.places.all()],
        "province": programme.province,
        "themes": _concepts(programme.themes.all()),
        "target_groups": _concepts(programme.target_groups.all()),
        "partners": [
            {"name": p.name, "kind": p.kind, "role": p.role} for p in programme.partners.all()
        ],
        "url": request.build_absolute_uri(
            reverse("programmes:api_detail", kwargs={"pk": programme.pk})
        ),
        "page_url": request.build_absolute_uri(
            reverse("programmes:public_detail", kwargs={"pk": programme.pk})
        )
        if programme.is_public
        else None,
    }


def _year(year: YearValue) -> dict:
    return {
        "year": year.year,
        "target": None if year.target is None else float(year.target),
        "value": None if year.hidden or year.actual is None else float(year.actual),
        "hidden": year.hidden,
        "status": str(year.status.value),
        "on_track": year.on_track,
        "running": year.running,
        "source": year.source_text,
    }


def _node(node: ResultNode, level_concept: str, years: list[dict]) -> dict:
    measure = node.activity_measure if node.source == DataSource.ACTIVITY else node.statistic
    return {
        "id": node.pk,
        "level": node.level,
        "level_concept": level_concept,
        "title": node.title,
        "indicator": node.indicator,
        "unit": node.unit,
        "direction": node.direction,
        "data_source": node.source,
        "measure": measure,
        "instrument": node.instrument.name if node.instrument is not None else "",
        "scale": node.scale,
        "baseline": None
        if node.baseline_value is None
        else {"value": float(node.baseline_value), "year": node.baseline_year},
        "leads_to": sorted(target.pk for target in node.leads_to.all()),
        "years": years,
    }


def progress_data(progress: Progress, request: Request) -> dict:
    """The programme with its chain and progress; ``progress`` must be the suppressed one."""
    if not progress.suppressed:
        raise ValueError("The API only ever shows suppressed progress.")
    data = programme_data(progress.programme, request)
    data["k"] = progress.k
    data["years"] = list(progress.years)
    data["nodes"] = [
        _node(item.node, level.concept_code, [_year(y) for y in item.years])
        for level in progress.levels
        for item in level.nodes
    ]
    return data
