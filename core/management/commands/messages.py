"""`manage.py messages`: every message of the project into the one catalogue per language,
locale/<lang>/LC_MESSAGES/django.po, then compiled.

Django's makemessages reads the Python code and the admin's Django templates; it cannot read
the pages' Jinja templates (templates/jinja2/), which Babel's Jinja2 extractor reads. Both
templates are merged into one template with msgcat and the catalogues updated from it with
msgmerge, so a translation is kept whichever engine shows its message."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

JINJA_DIR = Path(settings.BASE_DIR, "templates", "jinja2")


def jinja_messages(pot: Path) -> None:
    catalog = Catalog(charset="utf-8")
    extracted = extract_from_dir(
        str(JINJA_DIR),
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    for filename, lineno, message, comments, context in extracted:
        catalog.add(
            message,
            locations=[(f"templates/jinja2/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    with pot.open("wb") as out:
        write_po(out, catalog, width=79)


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (GNU gettext, which makemessages needs too)")
    return path


class Command(BaseCommand):
    help = "Extract the messages of the code, the admin's templates and the pages' Jinja templates into locale/*/django.po and compile them."

    def handle(self, **options):
        locale_dir = Path(settings.BASE_DIR, "locale")
        catalogues = sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            # makemessages updates the catalogues from Django's part alone, which would make
            # the pages' messages obsolete: keep the catalogues as they were and merge once.
            kept = {po: tmp / f"{i}.po" for i, po in enumerate(catalogues)}
            for po, copy in kept.items():
                shutil.copy(po, copy)
            call_command(
                "makemessages",
                all=True,
                keep_pot=True,
                ignore_patterns=["templates/jinja2/*", "tests/*", "benchmarks/*"],
                verbosity=0,
            )
            django_pot = locale_dir / "django.pot"
            shutil.move(django_pot, tmp / "django.pot")
            for po, copy in kept.items():
                shutil.copy(copy, po)
            jinja_messages(tmp / "jinja2.pot")
            merged = tmp / "all.pot"
            subprocess.run(  # noqa: S603 (our own files, no input from outside)
                [
                    gettext_tool("msgcat"),
                    "--use-first",
                    "-o",
                    merged,
                    tmp / "django.pot",
                    tmp / "jinja2.pot",
                ],
                check=True,
            )
            for po in catalogues:
                subprocess.run(  # noqa: S603 (our own files, no input from outside)
                    [
                        gettext_tool("msgmerge"),
                        "-q",
                        "--previous",
                        "--backup=none",
                        "--update",
                        po,
                        merged,
                    ],
                    check=True,
                )
                self.stdout.write(f"updated {po.relative_to(settings.BASE_DIR)}")
        call_command("compilemessages", verbosity=0, ignore_patterns=[".venv"])
