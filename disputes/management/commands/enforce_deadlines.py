from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from disputes.deadlines import BATCH_SIZE, enforce_deadlines


class Command(BaseCommand):
    help = "Apply every due automatic transition now, or as of --now (ISO-8601)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="the moment to enforce at, e.g. 2026-11-28T10:00:00+08:00"
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, now=None, batch_size=BATCH_SIZE, **options):
        moment = timezone.now()
        if now:
            moment = parse_datetime(now)
            if moment is None:
                raise CommandError(f"--now {now!r} is not an ISO-8601 date and time.")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        counts = enforce_deadlines(now=moment, batch_size=batch_size)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
