from django.conf import settings
from django.core.management.base import BaseCommand

from demo.loader import demo_is_loaded, demo_logins
from demo.management.commands.load_demo import write_logins


class Command(BaseCommand):
    help = (
        "Print the demo's logins (make run prints them again once the server's first e-mails "
        "are written, so that they are the last thing on the screen)."
    )

    def handle(self, *args, **options):
        if demo_is_loaded():
            write_logins(self, demo_logins(), heading="Demo logins")
            self.stdout.write(f"The site: {settings.SITE_URL}/")
