"""The apps' dependency direction (ARCHITECTURE.md): recovery ← peers ← clients ← supervision ← outcomes ← reports.

An app may import the apps below it, never one above: recovery imports no app, peers neither clients nor
supervision, clients not supervision. An app above reaches down through the registries the lower ones
offer (sweeps, seeders, My day sections, note events, supervised hours), filled in its
``AppConfig.ready()``. Checked on the source, so it covers imports inside functions and the strings
``apps.get_model("app", ...)``, ``apps.get_model("app.Model")`` and ``import_string("app.…")``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each may depend only on those before it.
ORDER = ["recovery", "peers", "clients", "referrals", "supervision", "outcomes", "billing", "reports", "records"]

# Modules that import each other only at module level: a function-level import there would hide a cycle.
MODULE_LEVEL_IMPORTS_ONLY = ["recovery/notify.py", "recovery/notify_email.py", "recovery/tasks.py",
                             "recovery/reminders.py"]


def _app_of(dotted: str) -> str:
    return dotted.split(".", 1)[0]


def _string_args(call: ast.Call) -> list[str]:
    return [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def referenced_apps(source: str) -> list[tuple[int, str]]:
    """(line, app) for every import of a module and every model or dotted-path string the source names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, _app_of(alias.name)) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, _app_of(node.module)))
        elif isinstance(node, ast.Call) and _call_name(node) in ("get_model", "import_string"):
            strings = _string_args(node)
            if strings:
                found.append((node.lineno, _app_of(strings[0])))
    return found


def upward_references(app: str, source: str) -> list[tuple[int, str]]:
    above = set(ORDER[ORDER.index(app) + 1:])
    return [(line, target) for line, target in referenced_apps(source) if target in above]


def test_no_app_imports_an_app_above_it():
    violations = []
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, target in upward_references(app, path.read_text()):
                violations.append(f"{path.relative_to(ROOT)}:{line} uses {target}")
    assert violations == []


@pytest.mark.parametrize("source", [
    "from clients.models import Client\n",
    "import clients.models\n",
    "def f():\n    from clients import services\n",
    "def f():\n    import clients.services as s\n",
    "from django.apps import apps\nX = apps.get_model('clients', 'Client')\n",
    "from django.apps import apps\nX = apps.get_model('clients.Client')\n",
    "from django.utils.module_loading import import_string\nf = import_string('clients.my_day.section')\n",
])
def test_the_check_finds_every_kind_of_upward_reference(source):
    assert upward_references("peers", source) == [(source.count("\n"), "clients")]


def test_the_check_allows_references_down_and_within_the_app():
    source = ("from recovery.models import Program\nfrom peers.models import Credential\n"
              "from django.apps import apps\nX = apps.get_model('peers', 'TraineeHours')\n")
    assert upward_references("peers", source) == []
    assert upward_references("supervision", "from clients.models import SessionNote\n") == []


@pytest.mark.parametrize("module", MODULE_LEVEL_IMPORTS_ONLY)
def test_notification_and_reminder_modules_import_at_module_level_only(module):
    tree = ast.parse((ROOT / module).read_text())
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    inner = [(f.name, n.lineno) for f in functions for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert inner == []
