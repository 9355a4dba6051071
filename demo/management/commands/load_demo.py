from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import demo_is_loaded, demo_load, demo_logins

DEFAULT_SEED = settings.BASE_DIR.parent / "shared" / "seed" / "article-pdd-intervention.txt"


class Command(BaseCommand):
    help = (
        "Load the demo: shops and products from the seed article, demo accounts, and orders, "
        "refunds and interventions in every state. Runs once: a database that already has the "
        "demo accounts is left as it is (start again from an empty database to reload)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=Path,
            help=f"the seed article whose hot-selling list is the catalogue (default: {DEFAULT_SEED}; "
            "an embedded copy of the list is used when the default file is missing)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even when DEBUG is False (the accounts have known passwords)",
        )

    def handle(self, *args, seed=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts with published passwords, so it runs only with "
                "DEBUG=True (config.settings.local). Pass --force to load it anyway."
            )
        if seed is not None and not seed.is_file():
            raise CommandError(f"--seed {seed}: no such file.")
        if demo_is_loaded():
            self.stdout.write(
                self.style.WARNING(
                    "The demo data is already loaded: nothing was changed. To start again, use "
                    "an empty database (rm db.sqlite3 && manage.py migrate)."
                )
            )
            write_logins(self, demo_logins(), heading="Demo logins (as loaded)")
            return
        result = demo_load(seed=seed or DEFAULT_SEED)
        self.stdout.write(f"Catalogue from {result.catalogue_source}.")
        self.stdout.write(", ".join(f"{count} {name}" for name, count in result.counts.items()))
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        write_logins(self, result.logins, heading="Demo logins")


def write_logins(command: BaseCommand, logins, *, heading: str) -> None:
    """The logins as a table on the command's output (load_demo, demo_logins)."""
    rows = [("role", "username", "password", "what to look at")]
    rows += [(login.role, login.username, login.password, login.note) for login in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    rule = "-+-".join("-" * w for w in widths) + "-+-" + "-" * 20
    command.stdout.write("")
    command.stdout.write(command.style.MIGRATE_HEADING(heading))
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row[:3])]
        command.stdout.write(" | ".join([*cells, row[3]]))
        if n == 0:
            command.stdout.write(rule)
    command.stdout.write("")
    command.stdout.write(
        "Staff (admin, supervisor, agent) sign in at /admin/; every account can use the "
        "API under /api/v1/ (docs at /api/docs/)."
    )


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
