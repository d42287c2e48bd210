"""Static check: no `async def` in actions/ calls a blocking service or helper directly.

Blocking means a builder of `actions.services` that reaches SQL or the FAQ encoder, a method of a
local `service`, or a module-level function that (transitively) does one of those; wrapped means
passed by reference to `blocking(...)`, which runs it in a worker thread. (The documents of
actions/letters.py are read in a process pool, which is awaited, not blocking.)
"""

from __future__ import annotations

import ast
from pathlib import Path

ACTIONS = Path(__file__).resolve().parents[2] / "actions"
SKIPPED = {"__main__.py", "server.py", "services.py"}
BUILDERS = frozenset(
    {"engine", "ticket_service", "knowledge_base", "miss_log", "report_log", "reservation_policy"}
)
SERVICE_NAMES = frozenset({"service", "tickets", "kb"})  # locals holding a built service
FREE_METHODS = frozenset({"clock"})  # reads the service's clock, no I/O


def modules() -> dict[str, ast.Module]:
    paths = [*ACTIONS.glob("*.py"), *(ACTIONS / "common").glob("*.py")]
    return {
        str(p.relative_to(ACTIONS)): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(paths)
        if p.name not in SKIPPED
    }


def calls_in(body: list[ast.stmt]) -> list[ast.Call]:
    """Calls made by this body itself, not by functions or lambdas defined inside it."""
    found: list[ast.Call] = []
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def is_blocking(call: ast.Call, helpers: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in helpers
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id == "services":
            return func.attr in BUILDERS
        return func.value.id in SERVICE_NAMES and func.attr not in FREE_METHODS
    return False


def blocking_helpers(trees: dict[str, ast.Module]) -> set[str]:
    """Module-level sync functions that call a blocking builder or helper (to a fixpoint)."""
    functions = [
        node for tree in trees.values() for node in tree.body if isinstance(node, ast.FunctionDef)
    ]
    helpers: set[str] = set()
    while True:
        more = {f.name for f in functions if any(is_blocking(c, helpers) for c in calls_in(f.body))}
        if more <= helpers:
            return helpers
        helpers |= more


def unwrapped(trees: dict[str, ast.Module]) -> list[str]:
    helpers = blocking_helpers(trees)
    problems = []
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.AsyncFunctionDef):
                problems += [
                    f"{name}:{call.lineno} {ast.unparse(call.func)}"
                    for call in calls_in(node.body)
                    if is_blocking(call, helpers)
                ]
    return sorted(problems)


def test_no_async_def_calls_a_blocking_service_directly() -> None:
    assert unwrapped(modules()) == []


def test_the_check_sees_the_known_helpers_and_an_unwrapped_call() -> None:
    trees = modules()
    assert {"label", "open_ticket", "best_match", "record_miss", "today"} <= blocking_helpers(trees)
    bad = ast.parse(
        "async def run(tracker):\n"
        "    label(tracker, None)\n"
        "    await blocking(label, tracker, None)\n"
        "    await blocking(lambda: services.ticket_service().waiting('x'))\n"
        "    service = await blocking(services.ticket_service)\n"
        "    service.waiting('x')\n"
    )
    assert unwrapped({**trees, "bad.py": bad}) == ["bad.py:2 label", "bad.py:6 service.waiting"]
