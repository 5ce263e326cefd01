"""From posted answers to scores: which answers an instrument asks for on a trajectory, and
their scoring with ``instruments.scoring.score``.

An ordinary instrument asks one answer per item (key: the item code). Goal Attainment Scaling
asks one per goal of the trajectory (key: the goal id as text), scored with the goals' weights.
Shared by the services (which store the result) and the entry form's preview (which does not).
"""

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from meerwaarde.instruments.definition import InstrumentDefinition
from meerwaarde.instruments.scoring import ScoreResult, score
from meerwaarde.participants.models import Goal, Trajectory


def goals_of(trajectory: Trajectory) -> list[Goal]:
    """The trajectory's GAS goals in order; uses a prefetch when there is one."""
    return sorted(trajectory.goals.all(), key=lambda goal: goal.position)


def expected_keys(definition: InstrumentDefinition, goals: Sequence[Goal]) -> list[str]:
    if definition.kind == "gas":
        return [str(goal.pk) for goal in goals]
    return [item.code for item in definition.items]


def normalise(answers: Mapping[str, object], keys: Sequence[str]) -> dict[str, str]:
    """Every expected key with its answer as text ("" when missing), then any unexpected ones.

    Unexpected keys stay in, so that scoring names them instead of dropping them silently.
    """
    as_text = {str(k): "" if v is None else str(v).strip() for k, v in answers.items()}
    result = {key: as_text.pop(key, "") for key in keys}
    result.update(as_text)
    return result


def score_answers(
    definition: InstrumentDefinition, goals: Sequence[Goal], answers: Mapping[str, str]
) -> ScoreResult:
    """``scoring.score`` for normalised answers; GAS gets the goals' weights.

    A GAS answer for a goal the trajectory does not have is an error here: scoring would take
    it for a goal of weight 1.
    """
    if definition.kind != "gas":
        return score(definition, answers)
    weights = {str(goal.pk): float(goal.weight) for goal in goals}
    unknown = {
        key: _("Dit doel hoort niet bij het traject.") for key in answers if key not in weights
    }
    result = score(definition, {k: v for k, v in answers.items() if k in weights}, weights=weights)
    if unknown:
        return ScoreResult(scales={}, errors={**result.errors, **unknown})
    return result


def scores_for_storage(result: ScoreResult) -> dict[str, dict]:
    """The stored form of the scores (docs/dev/outcomes-contracts.md)."""
    return {
        code: {"value": scale.value, "category": scale.category}
        for code, scale in result.scales.items()
    }
