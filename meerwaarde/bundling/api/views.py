"""GET /api/v1/figures/: the public sector figures, suppressed, broken down by one dimension.

Anonymous and read-only, like the public page: the same selection (the page's filters under
English names) and the same suppression.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meerwaarde.bundling.api.serializers import (
    FiguresErrorSerializer,
    FiguresSerializer,
    figures_data,
)
from meerwaarde.bundling.forms import SectorFilterForm
from meerwaarde.bundling.sector import DIMENSIONS, FOCUS_GROUPS, sector_figures

# API parameter → the form's field.
PARAMETERS = {
    "province": "provincie",
    "municipality": "plaats",
    "theme": "thema",
    "target_group": "doelgroep",
    "intervention_type": "soort",
    "focus": "focus",
    "start": "van",
    "end": "tot",
}
_CODE = gettext_lazy("Een code uit het Meerwaarde-vocabulaire, zoals ‘%(example)s’.")

FIGURES_PARAMETERS = [
    OpenApiParameter(
        "dimension",
        str,
        enum=list(DIMENSIONS),
        description=gettext_lazy("Waarnaar uitgesplitst wordt; standaard province."),
    ),
    OpenApiParameter(
        "province",
        str,
        description=gettext_lazy("Provinciecode, zoals ‘OV’ (Overijssel) of ‘NH’."),
    ),
    OpenApiParameter(
        "municipality",
        int,
        description=gettext_lazy(
            "GeoNames-id van de plaats waar de organisatie gevestigd is, zoals 2743477 (Zwolle)."
        ),
    ),
    OpenApiParameter("theme", str, description=_CODE % {"example": "thema-eenzaamheid"}),
    OpenApiParameter("target_group", str, description=_CODE % {"example": "doelgroep-ouderen"}),
    OpenApiParameter(
        "intervention_type", str, description=_CODE % {"example": "interventie-maatjesproject"}
    ),
    OpenApiParameter(
        "focus",
        str,
        enum=[group.code for group in FOCUS_GROUPS],
        description=gettext_lazy(
            "Aandachtsgroep: aanbod voor ouderen, of voor psychisch kwetsbare mensen."
        ),
    ),
    OpenApiParameter(
        "start", OpenApiTypes.STR, description=gettext_lazy("Eerste maand, zoals 2025-01.")
    ),
    OpenApiParameter(
        "end", OpenApiTypes.STR, description=gettext_lazy("Laatste maand, zoals 2025-12.")
    ),
]


class FiguresView(APIView):
    @extend_schema(
        operation_id="figures_list",
        summary=gettext_lazy("Gebundelde cijfers van de sector"),
        description=gettext_lazy(
            "Bereik, activiteiten en uitkomsten per meetinstrument en schaal van alle "
            "sociaalwerkorganisaties samen, uitgesplitst naar provincie, plaats, thema, doelgroep "
            "of soort interventie, met het totaal van de selectie. Cijfers die op minder dan k "
            "deelnemers rusten (en cijfers waaruit die te berekenen zijn) zijn null, met "
            '"hidden": true en "reason": "te weinig deelnemers".'
        ),
        parameters=FIGURES_PARAMETERS,
        responses={200: FiguresSerializer, 400: FiguresErrorSerializer},
        tags=["gebundelde cijfers"],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        for name in params:
            if name != "dimension" and name not in PARAMETERS:
                return _error(_("Onbekende parameter: %(name)s.") % {"name": name}, name)
        dimension = params.get("dimension") or DIMENSIONS[0]
        if dimension not in DIMENSIONS:
            return _error(
                _("Kies voor dimension een van: %(choices)s.") % {"choices": ", ".join(DIMENSIONS)},
                "dimension",
            )
        data = {PARAMETERS[name]: params[name] for name in PARAMETERS if params.get(name)}
        form = SectorFilterForm(data)
        if not form.is_valid():
            by_field = {field: name for name, field in PARAMETERS.items()}
            field, messages = next(iter(form.errors.items()))
            return _error(messages[0], by_field.get(field, field))
        figures = sector_figures(selection=form.selection())
        return Response(FiguresSerializer(figures_data(figures, dimension)).data)


def _error(message: str, parameter: str) -> Response:
    return Response({"detail": message, "parameter": parameter}, status=400)
