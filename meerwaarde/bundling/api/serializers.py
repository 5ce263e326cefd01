"""The shape of /api/v1/figures/ (and so its OpenAPI description); ``figures_data`` fills it.

A hidden figure is ``null`` with ``"hidden": true`` and ``"reason": "te weinig deelnemers"``
beside it, never 0.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meerwaarde.bundling.sector import Outcome, Row, ScaleInfo, SectorFigures, gas_mean
from meerwaarde.bundling.suppression import HIDDEN_TEXT, Hidden

_HIDDEN = _("true als de cijfers verborgen zijn omdat ze op te weinig deelnemers rusten.")
_REASON = _(
    "Waarom de cijfers verborgen zijn (‘te weinig deelnemers’); null als ze zichtbaar zijn."
)


class ScaleSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Sleutel van de schaal: instrument-id en schaalcode."))
    instrument = serializers.CharField()
    version = serializers.CharField()
    scale = serializers.CharField()
    label = serializers.CharField()
    domain = serializers.CharField(help_text=_("Het uitkomstdomein."))
    higher_is_better = serializers.BooleanField()
    rankable = serializers.BooleanField(
        help_text=_(
            "false: een gespreksinstrument (Positieve Gezondheid), niet om te rangschikken."
        )
    )
    gas = serializers.BooleanField(
        help_text=_("Goal Attainment Scaling: de verandering is T − 50.")
    )


class ReachSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(help_text=_HIDDEN)
    reason = serializers.CharField(allow_null=True, help_text=_REASON)
    offers_reporting = serializers.IntegerField(
        allow_null=True, help_text=_("Maandtellingen die zijn ingevuld.")
    )
    participants_reached = serializers.IntegerField(
        allow_null=True, help_text=_("Deelnemers bereikt: tellingen per maand opgeteld.")
    )
    new_participants = serializers.IntegerField(allow_null=True)
    meetings_held = serializers.IntegerField(allow_null=True)
    volunteer_hours = serializers.FloatField(allow_null=True)
    referrals_in = serializers.IntegerField(allow_null=True)
    referrals_out = serializers.IntegerField(allow_null=True)
    early_signals = serializers.IntegerField(allow_null=True)


class OutcomeSerializer(serializers.Serializer):
    scale = serializers.CharField(help_text=_("De sleutel van de schaal (zie scales)."))
    hidden = serializers.BooleanField(help_text=_HIDDEN)
    reason = serializers.CharField(allow_null=True, help_text=_REASON)
    n = serializers.IntegerField(allow_null=True, help_text=_("Deelnemers met begin en eind."))
    mean_start = serializers.FloatField(allow_null=True)
    mean_end = serializers.FloatField(allow_null=True)
    mean_change = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True, help_text=_("95%-interval, ondergrens."))
    ci_high = serializers.FloatField(allow_null=True, help_text=_("95%-interval, bovengrens."))
    d_z = serializers.FloatField(allow_null=True, help_text=_("Effectgrootte."))
    d_z_low = serializers.FloatField(allow_null=True)
    d_z_high = serializers.FloatField(allow_null=True)
    improved_share = serializers.FloatField(
        allow_null=True, help_text=_("Aandeel betrouwbaar verbeterd (0–1).")
    )
    deteriorated_share = serializers.FloatField(
        allow_null=True, help_text=_("Aandeel betrouwbaar verslechterd (0–1).")
    )


class RowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_(
            "Provinciecode, GeoNames-id van de plaats of code uit het vocabulaire; leeg bij het "
            "totaal."
        )
    )
    label = serializers.CharField()
    organisations = serializers.IntegerField()
    offers = serializers.IntegerField()
    reach = ReachSerializer()
    outcomes = OutcomeSerializer(many=True)


class FiguresSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    k = serializers.IntegerField(help_text=_("Cellen met minder deelnemers zijn verborgen."))
    scales = ScaleSerializer(many=True)
    rows = RowSerializer(many=True)
    total = RowSerializer()


class FiguresErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField(required=False)


_REACH_FIELDS = (
    "offers_reporting",
    "participants_reached",
    "new_participants",
    "meetings_held",
    "volunteer_hours",
    "referrals_in",
    "referrals_out",
    "early_signals",
)
_OUTCOME_FIELDS = (
    "n",
    "mean_start",
    "mean_end",
    "mean_change",
    "ci_low",
    "ci_high",
    "d_z",
    "d_z_low",
    "d_z_high",
    "improved_share",
    "deteriorated_share",
)


def _reach(row: Row) -> dict:
    if isinstance(row.reach, Hidden):
        return {
            "hidden": True,
            "reason": str(HIDDEN_TEXT),
            **dict.fromkeys(_REACH_FIELDS),
        }
    data = {name: getattr(row.reach, name) for name in _REACH_FIELDS}
    data["volunteer_hours"] = float(data["volunteer_hours"])
    return {"hidden": False, "reason": None, **data}


def _outcome(scale: ScaleInfo, outcome: Outcome) -> dict:
    if isinstance(outcome.n, Hidden) or outcome.result is None:
        return {
            "scale": scale.key,
            "hidden": True,
            "reason": str(HIDDEN_TEXT),
            **dict.fromkeys(_OUTCOME_FIELDS),
        }
    r = outcome.result
    mean_start, mean_end = r.mean_start, r.mean_end
    if scale.gas:
        mean_end = gas_mean(outcome)[0]
    return {
        "scale": scale.key,
        "hidden": False,
        "reason": None,
        "n": outcome.n,
        "mean_start": mean_start,
        "mean_end": mean_end,
        "mean_change": r.mean_change,
        "ci_low": r.ci_low,
        "ci_high": r.ci_high,
        "d_z": r.d_z,
        "d_z_low": r.d_z_low,
        "d_z_high": r.d_z_high,
        "improved_share": outcome.improved.proportion if outcome.improved else None,
        "deteriorated_share": outcome.deteriorated.proportion if outcome.deteriorated else None,
    }


def _row(figures: SectorFigures, row: Row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "organisations": row.organisations,
        "offers": row.offers,
        "reach": _reach(row),
        "outcomes": [
            _outcome(scale, row.outcomes[scale.key])
            for scale in figures.scales
            if scale.key in row.outcomes
        ],
    }


def figures_data(figures: SectorFigures, dimension: str) -> dict:
    return {
        "dimension": dimension,
        "k": figures.k,
        "scales": [
            {
                "key": s.key,
                "instrument": s.instrument,
                "version": s.version,
                "scale": s.code,
                "label": s.label,
                "domain": s.domain_label,
                "higher_is_better": s.higher_is_better,
                "rankable": s.rankable,
                "gas": s.gas,
            }
            for s in figures.scales
        ],
        "rows": [_row(figures, row) for row in figures.breakdown(dimension)],
        "total": _row(figures, figures.total),
    }
