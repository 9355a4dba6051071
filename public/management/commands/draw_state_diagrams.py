"""Draw the state diagrams of the rules page with Graphviz (`apt-get install graphviz`), as
templates the rules page includes (public.diagrams.DIAGRAM_DIR)."""

from __future__ import annotations

import re
import shutil
import subprocess

from django.core.management.base import BaseCommand, CommandError

from public.diagrams import LANGUAGES, MACHINES, diagram_path, machine_dot


def _render(dot_source: str, dot: str) -> str:
    svg = subprocess.run(  # noqa: S603 - a fixed executable, our own input
        [dot, "-Tsvg"], input=dot_source, capture_output=True, text=True, check=True
    ).stdout
    # Graphviz stamps its version and the graph's name in comments: keep the files stable. The
    # page includes the SVG element itself: no XML declaration or doctype before it.
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.DOTALL)
    svg = svg[svg.index("<svg") :]
    # Graphviz titles each box and arrow with its code (awaiting_return, a->b): a tooltip and
    # a spoken name in no reader's language. The box's link carries its words instead.
    svg = re.sub(r'(<g id="[^"]+" class="(?:node|edge)">\n)<title>[^<]*</title>\n', r"\1", svg)
    if re.search(r"\{[{%#]", svg):  # the page includes it as a Jinja template
        raise CommandError("A diagram's words hold {{, {% or {#: Jinja would read them.")
    return svg


class Command(BaseCommand):
    help = "Redraw the order, refund and intervention state diagrams from the models."

    def handle(self, *args, **options):
        dot = shutil.which("dot")
        if dot is None:
            raise CommandError("Graphviz is needed: apt-get install graphviz")
        for machine in MACHINES:
            for language in LANGUAGES:
                path = diagram_path(machine, language)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(_render(machine_dot(machine, language), dot), encoding="utf-8")
                self.stdout.write(f"{path}")
