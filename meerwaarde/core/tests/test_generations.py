import pytest
from django.db import transaction

from meerwaarde.core import generations
from meerwaarde.core.models import Generation

pytestmark = pytest.mark.django_db


def test_a_bump_gives_a_new_stamp_that_a_rollback_takes_back_for_good():
    before = generations.current(generations.FIGURES)
    seen = []
    with pytest.raises(RuntimeError), transaction.atomic():
        generations.bump(generations.FIGURES)
        seen.append(generations.current(generations.FIGURES))
        raise RuntimeError
    assert seen[0] != before
    assert generations.current(generations.FIGURES) == before

    generations.bump(generations.FIGURES)
    # Not a count: the rolled-back stamp does not come back for the next write.
    assert generations.current(generations.FIGURES) not in (before, seen[0])


def test_a_bump_makes_its_row_again_when_a_flush_took_it():
    Generation.objects.all().delete()
    assert generations.current(generations.FIGURES) == 0
    generations.bump(generations.FIGURES)
    assert generations.current(generations.FIGURES) != 0
