"""The apps stand on each other in one direction (README, "Layout"), checked on the code.

Domain modules (models, services, selectors, policies and the like) of an app import only
from apps at or below it, never a face (API, pages, admin, commands, tasks) and never DRF.
Faces sit on top of every app and may call any app's services, selectors and policies.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "merchants", "orders", "penalties", "disputes"]  # bottom to top
# Modules and packages that present or deliver rather than decide.
FACES = {
    "api",
    "views",
    "forms",
    "urls",
    "admin",
    "apps",
    "templatetags",
    "management",
    "migrations",
    "tasks",
    "middleware",
    "context_processors",
    "pages",
    "files",  # the access-checked evidence file view
    "diagrams",  # the state diagrams drawn for the rules page
}
API_LIBRARIES = {"rest_framework", "drf_spectacular"}


def _is_face(module: str) -> bool:
    return bool(set(module.split(".")[1:]) & FACES)


def _domain_modules() -> list[tuple[str, Path]]:
    modules = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if not _is_face(module):
                modules.append((module, path))
    return modules


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _violations(module: str, imported: str) -> list[str]:
    app, top = module.split(".")[0], imported.split(".")[0]
    found = []
    if top in API_LIBRARIES:
        found.append(f"{module} imports {imported}: the domain does not know the API")
    if top in LAYERS and LAYERS.index(top) > LAYERS.index(app):
        found.append(f"{module} imports {imported}, from an app above {app}")
    if top in LAYERS and _is_face(imported):
        found.append(f"{module} imports the face {imported}")
    return found


def test_the_checker_catches_each_kind_of_wrong_import():
    assert _violations("penalties.services", "disputes.models")
    assert _violations("core.services", "rest_framework.authtoken.models")
    assert _violations("disputes.selectors", "disputes.api.serializers")
    assert not _violations("disputes.services.refunds", "penalties.services")
    assert not _violations("penalties.services", "orders.models")


@pytest.mark.parametrize(("module", "path"), _domain_modules(), ids=lambda v: str(v))
def test_a_domain_module_imports_only_downwards(module, path):
    found = [v for imported in _imports(path) for v in _violations(module, imported)]
    assert found == []
