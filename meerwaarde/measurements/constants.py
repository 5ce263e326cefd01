from django.db import models
from django.utils.translation import gettext_lazy as _


class Moment(models.TextChoices):
    """When in a trajectory a measurement is taken; the order here is the order on the page."""

    INTAKE = "intake", _("Intake")
    INTERIM = "interim", _("Tussenmeting")
    END = "end", _("Eindmeting")
    FOLLOW_UP = "follow_up", _("Nameting")


# An intake and an end measurement are each one moment of a trajectory: the figures pair them.
# Interim and follow-up measurements can be repeated, one per date.
SINGLE_MOMENTS = (Moment.INTAKE, Moment.END)

# Form and error keys of the answers: a prefix keeps an item code ("moment" is a valid one)
# apart from the other fields of the form.
ANSWER_PREFIX = "item-"


def answer_field(key: str) -> str:
    """The form field (and ValidationError key) of one answer: an item code or a goal id."""
    return f"{ANSWER_PREFIX}{key}"
