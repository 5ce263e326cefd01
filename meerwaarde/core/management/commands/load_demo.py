from django.core.management.base import BaseCommand

from meerwaarde.core.demo import DEMO_PASSWORD, USERS, demo_load


class Command(BaseCommand):
    help = "Vult de database met een geloofwaardige demosector (twee keer draaien kan)."

    def handle(self, *args, **options) -> None:
        result = demo_load()
        self.stdout.write(
            f"Demodata: {result['organisations']} organisaties, {result['users']} gebruikers "
            f"en {result['mappings']} koppelingen van lokale namen toegevoegd."
        )
        self.stdout.write(f"\nDemo-inlogs (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        for spec in USERS:
            role = spec.platform_role or spec.role
            where = f" bij {spec.organisation}" if spec.organisation else ""
            self.stdout.write(f"  {spec.email:<40} {role}{where}")
