import time

from django.core.management.base import BaseCommand

from meerwaarde.directory.index import rebuild_index


class Command(BaseCommand):
    help = "Bouwt de zoekindex van de sociale kaart opnieuw op uit alle aanbod (in bulk)."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if done == total or now - last[0] >= 2:
                last[0] = now
                self.stdout.write(f"  {done:>7} van {total} aanbiedingen ({now - started:.0f} s)")

        count = rebuild_index(progress=progress)
        self.stdout.write(
            f"Zoekindex opnieuw opgebouwd: {count} aanbiedingen in "
            f"{time.perf_counter() - started:.1f} s."
        )
