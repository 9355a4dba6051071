from django.core.management.base import BaseCommand

from penalties.services import shops_recompute_credit


class Command(BaseCommand):
    help = (
        "Rebuild every shop's public credit (dispute cases, seller level, ranking score) and "
        "restriction flag from its penalty records, restrictions and orders."
    )

    def handle(self, *args, **options):
        count = shops_recompute_credit()
        self.stdout.write(f"Rebuilt the credit of {count} shop{'s' if count != 1 else ''}.")
