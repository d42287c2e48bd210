"""Feature modules in actions/ import services, common and bot.*, never each other.

`lint-imports` checks the same rule from pyproject.toml's contracts; the last test keeps that
contract's module list complete, so a new feature module cannot slip past it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import tomli

ACTIONS = Path(__file__).resolve().parents[2] / "actions"
PLUMBING = {"__init__.py", "__main__.py", "server.py", "services.py"}
FEATURES = sorted(p.name for p in ACTIONS.glob("*.py") if p.name not in PLUMBING)


def imported(path: Path) -> set[str]:
    """The modules a file imports (`from actions import services` counts as actions.services)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "actions":
                names.update(f"actions.{alias.name}" for alias in node.names)
    return names


def allowed(module: str) -> bool:
    """Within actions/, only the services and the common package."""
    if module != "actions" and not module.startswith("actions."):
        return True
    return module in ("actions", "actions.services") or module.startswith("actions.common")


@pytest.mark.parametrize("name", FEATURES)
def test_a_feature_module_imports_no_other_feature(name: str) -> None:
    assert [m for m in sorted(imported(ACTIONS / name)) if not allowed(m)] == []


def test_common_imports_no_feature() -> None:
    for path in sorted((ACTIONS / "common").glob("*.py")):
        assert [m for m in sorted(imported(path)) if not allowed(m)] == [], path.name


def test_the_features_are_all_seen() -> None:
    assert {"reception.py", "referrals.py", "csat.py", "faq.py", "forms.py", "handoff.py"} <= set(
        FEATURES
    )


def test_the_import_contract_names_every_feature_module() -> None:
    config = tomli.loads((ACTIONS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    independent = next(c for c in contracts if c["type"] == "independence")
    assert sorted(independent["modules"]) == sorted(f"actions.{n[:-3]}" for n in FEATURES)
