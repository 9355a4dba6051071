"""The translation catalogues are well formed, complete in Chinese, and compiled as committed:
a broken entry or a forgotten compilation shows English (or nothing) to a Chinese reader."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALES = ["zh_Hans", "en"]


def catalogue(locale: str, suffix: str = "po") -> Path:
    return Path(settings.BASE_DIR, "locale", locale, "LC_MESSAGES", f"django.{suffix}")


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="msgfmt (gettext) is not installed")
@pytest.mark.parametrize("locale", LOCALES)
def test_msgfmt_checks_pass_and_the_committed_mo_is_the_compiled_po(locale, tmp_path):
    compiled = tmp_path / "django.mo"

    checked = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", str(compiled), str(catalogue(locale))],
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0 and not checked.stderr, checked.stderr
    with compiled.open("rb") as fresh, catalogue(locale, "mo").open("rb") as committed:
        fresh_messages = gettext.GNUTranslations(fresh)._catalog
        committed_messages = gettext.GNUTranslations(committed)._catalog
    assert committed_messages == fresh_messages, "run compilemessages and commit the .mo"


def test_every_chinese_entry_is_translated_and_none_is_a_guess():
    po = catalogue("zh_Hans").read_text()
    entries = po.split("\n\n")[1:]  # the header first

    guesses = [e for e in entries if re.search(r"^#,.*\bfuzzy\b", e, re.MULTILINE)]
    # An empty msgstr line not continued on the next: nothing translated.
    empty = [e for e in entries if re.search(r'^msgstr(\[0\])? ""$(?!\n")', e, re.MULTILINE)]

    assert not guesses, guesses
    assert not empty, empty


def test_total_reads_as_paid_on_an_order_and_as_the_running_sum_on_the_points_table():
    with translation.override("zh-hans"):
        assert translation.pgettext("order amount", "Total") == "实付款"
        assert translation.pgettext("points so far this year", "Total") == "今年累计"
