import os

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.management import call_command

from core.scheduler import EmbeddedScheduler


class Command(RunserverCommand):
    help = (
        "The development server plus the periodic jobs (deadline sweep, reminders, outbox: "
        "e-mails) in a thread of the same process, so no broker or worker is needed. Links in "
        "e-mails point to the address served on unless DJANGO_SITE_URL says otherwise."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--then",
            metavar="COMMAND",
            help="a management command to run once the jobs' first round is done (the e-mails "
            "waiting in the outbox are written by then), e.g. demo_logins: make run's logins "
            "come last, not scrolled away by the e-mails",
        )

    def inner_run(self, *args, **options):
        self.then = options.get("then")
        super().inner_run(*args, **options)

    def on_bind(self, server_port):
        # on_bind runs in the serving process (under the autoreloader, the child), once the
        # port is known, so the jobs run once, restart with the code and print after the banner.
        super().on_bind(server_port)
        if "DJANGO_SITE_URL" not in os.environ:
            settings.SITE_URL = self.served_url(server_port)
        self.stdout.write(
            "Deadlines, reminders and e-mails run in this process (no broker); links in "
            f"e-mails point to {settings.SITE_URL} (DJANGO_SITE_URL to change)."
        )
        then = self.then
        EmbeddedScheduler(after_first_round=(lambda: call_command(then)) if then else None).start()

    def served_url(self, port) -> str:
        # Listening on every interface (0.0.0.0, ::) says nothing about the name others use:
        # this machine's own address is the one sure to answer.
        if self.addr in ("0", "0.0.0.0", "::"):  # noqa: S104 (a comparison, not a binding)
            host = "127.0.0.1"
        elif self._raw_ipv6:
            host = f"[{self.addr}]"
        else:
            host = self.addr
        return f"{self.protocol}://{host}:{port}"
