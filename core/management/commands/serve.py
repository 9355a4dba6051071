from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from core.scheduler import EmbeddedScheduler


class Command(RunserverCommand):
    help = (
        "The development server plus the periodic jobs (deadline sweep, reminders, outbox: "
        "e-mails) in a thread of the same process, so no broker or worker is needed."
    )

    def inner_run(self, *args, **options):
        # inner_run is the serving process (under the autoreloader, the child), so the jobs run
        # once, and restart with the code.
        EmbeddedScheduler().start()
        self.stdout.write("Deadlines, reminders and e-mails run in this process (no broker).")
        super().inner_run(*args, **options)
