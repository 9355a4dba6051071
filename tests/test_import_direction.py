"""The apps stand on each other in one direction (README, "Layout"), checked on the code.

Every module of a domain app folder (`core` → `merchants` → `orders` → `penalties` →
`disputes`, bottom to top) — its models, services, selectors and policies, and its own faces
too (admin, api, tasks, management commands) — imports only from its own app and the apps
below it, never from an app above it nor from a face app (`buyer`, `seller`, `public`, `demo`,
`benchmarks`, `config`). There is no exception: what combines apps lives in the face apps.

DRF is the API's: within a domain app only its `api/` package imports DRF or any app's `api/`
package, so that models, services, selectors, policies, the admin and the tasks never depend on
the API layer. The face apps may import any app.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "merchants", "orders", "penalties", "disputes"]  # bottom to top
FACE_APPS = ["buyer", "seller", "public", "demo", "benchmarks", "config"]
API_LIBRARIES = {"rest_framework", "drf_spectacular"}


def _in_api_package(module: str) -> bool:
    return module.split(".")[1:2] == ["api"]


def _domain_modules() -> list[tuple[str, Path]]:
    return [
        (".".join(path.relative_to(ROOT).with_suffix("").parts), path)
        for app in LAYERS
        for path in sorted((ROOT / app).rglob("*.py"))
    ]


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
    if top in FACE_APPS:
        found.append(f"{module} imports {imported}: a domain app does not know the faces")
    if top in LAYERS and LAYERS.index(top) > LAYERS.index(app):
        found.append(f"{module} imports {imported}, from an app above {app}")
    if not _in_api_package(module):
        if top in API_LIBRARIES:
            found.append(f"{module} imports {imported}: only an api/ package knows DRF")
        if top in LAYERS and _in_api_package(imported):
            found.append(f"{module} imports {imported}: only an api/ package uses the API")
    return found


def test_the_checker_catches_each_kind_of_wrong_import():
    assert _violations("penalties.services", "disputes.models")  # upwards
    assert _violations("penalties.admin", "disputes.selectors")  # upwards, from a face
    assert _violations("merchants.api.views", "orders.models")  # upwards, from the API
    assert _violations("disputes.admin", "seller.selectors")  # a face app
    assert _violations("core.services", "rest_framework.authtoken.models")  # DRF
    assert _violations("disputes.admin", "rest_framework.exceptions")  # DRF outside api/
    assert _violations("disputes.selectors", "disputes.api.serializers")  # the API layer
    assert _violations("penalties.tasks", "core.api.throttles")  # the API layer, below
    assert not _violations("disputes.services.refunds", "penalties.services")
    assert not _violations("penalties.services", "orders.models")
    assert not _violations("disputes.api.views", "rest_framework.response")
    assert not _violations("penalties.api.serializers", "core.api.answers")


def test_every_app_folder_is_a_domain_app_or_a_face_app():
    """A new app is placed on purpose: among the domain layers, or among the faces."""
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"config"}
    assert apps == set(LAYERS) | set(FACE_APPS)


@pytest.mark.parametrize(("module", "path"), _domain_modules(), ids=lambda v: str(v))
def test_a_domain_app_imports_only_itself_and_the_apps_below(module, path):
    found = [v for imported in _imports(path) for v in _violations(module, imported)]
    assert found == []
