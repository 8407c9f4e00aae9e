"""Browser tests assert with Playwright's ``expect(...)``, which waits for the page; a bare
``locator.is_visible()`` (or ``is_checked()``, ``is_enabled()`` …) answers at once and fails whenever the
page after a click is still loading. Checked on the source, so a new test cannot bring the race back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ANSWERS_AT_ONCE = {"is_visible", "is_hidden", "is_checked", "is_enabled", "is_disabled", "is_editable"}


def immediate_checks(source: str) -> list[tuple[int, str]]:
    """(line, method) of every call of a Playwright state check that does not wait."""
    return [
        (node.lineno, node.func.attr)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ANSWERS_AT_ONCE
    ]


def test_browser_tests_assert_what_a_page_shows_with_a_waiting_expect():
    found = [f"{path.name}:{line} {method}()" for path in sorted(HERE.glob("*.py"))
             if path.name != Path(__file__).name for line, method in immediate_checks(path.read_text())]
    assert not found, f"use expect(locator).to_be_visible() (or to_be_checked() …) instead: {found}"


@pytest.mark.parametrize("source", [
    "assert page.get_by_text('Saved').is_visible()",
    "if dialog.get_by_role('button').is_enabled(): pass",
])
def test_the_check_finds_an_immediate_state_check(source):
    assert immediate_checks(source)


def test_the_check_allows_waiting_assertions():
    assert not immediate_checks("expect(page.get_by_text('Saved')).to_be_visible()")
