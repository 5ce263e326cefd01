import time

from django.core.management.base import BaseCommand

from meerwaarde.activities.services import activity_totals_rebuild


class Command(BaseCommand):
    help = (
        "Telt de activiteiten per soort interventie en van alles opnieuw op uit de "
        "maandtellingen. Veilig om opnieuw te draaien; nodig na tellingen die buiten de "
        "services om zijn ingelezen."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        result = activity_totals_rebuild()
        self.stdout.write(
            f"{result.records} maandtellingen, {result.months} maandtotalen en "
            f"{result.concepts} totalen per begrip in {time.perf_counter() - started:.1f} s."
        )
