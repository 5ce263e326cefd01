import time

from django.core.management.base import BaseCommand

from meerwaarde.analysis.services import outcomes_rebuild, outcomes_rebuild_sums


class Command(BaseCommand):
    help = (
        "Berekent de paren van metingen en de sommen achter de resultaten opnieuw uit de "
        "metingen. Veilig om opnieuw te draaien; nodig na metingen die buiten de services om "
        "zijn ingelezen."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--sums-only",
            action="store_true",
            help="Alleen de sommen opnieuw optellen uit de opgeslagen paren.",
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        result = outcomes_rebuild_sums() if options["sums_only"] else outcomes_rebuild()
        self.stdout.write(
            f"{result.pairs} paren, {result.sums} sommen en {result.moves} verschuivingen "
            f"in {time.perf_counter() - started:.1f} s."
        )
