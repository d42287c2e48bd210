"""The modules under mutation testing and the test files that must catch their mutants."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One module and its own tests (only these run per mutant: the machine is small)."""

    name: str
    path: str
    tests: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    pytest_args: tuple[str, ...] = ()


TARGETS = (
    Target("numbers", "bot/letters/numbers.py", ("tests/bot/letters/test_letter_numbers.py",)),
    Target("flags", "bot/letters/flags.py", ("tests/bot/letters/test_letter_flags.py",)),
    Target(
        "verifier",
        "bot/letters/verifier.py",
        (
            "tests/bot/letters/test_letter_verifier.py",
            "tests/bot/letters/test_letter_verifier_replies.py",
        ),
    ),
    Target(
        "search",
        "bot/kb/search.py",
        ("tests/bot/kb/test_kb_search.py", "tests/bot/kb/test_kb_search_decisions.py"),
        pytest_args=(  # a timing check of a 1,000-entry index: slow, and no behaviour
            "--deselect",
            "tests/bot/kb/test_kb_search.py::test_a_thousand_entries_answer_in_milliseconds",
        ),
    ),
    Target(
        "programs",
        "bot/kb/programs.py",
        ("tests/bot/kb/test_programs.py", "tests/bot/kb/test_programs_guard.py"),
    ),
    # UTC+14: a local-time mistake is invisible on a UTC machine, not here (Jakarta's evening
    # is already tomorrow).
    Target(
        "hours",
        "bot/hours.py",
        ("tests/bot/test_hours.py", "tests/bot/test_hours_config.py"),
        (("TZ", "Pacific/Kiritimati"),),
    ),
    Target(
        "transitions",
        "bot/tickets/transitions.py",
        (
            "tests/bot/tickets/test_ticket_store.py",
            "tests/bot/tickets/test_ticket_release.py",
            "tests/bot/tickets/test_ticket_transitions.py",
        ),
    ),
    Target(
        "payloads",
        "bot/channels/payloads.py",
        (
            "tests/bot/channels/test_offered_payloads.py",
            "tests/bot/channels/test_offered_payloads_window.py",
        ),
    ),
)

# What the copies need besides bot/ and tests/ (fixtures read the knowledge base, tests import
# harness). PostgreSQL, browser and end-to-end tests stay out: SQLite answers for the stores.
ALSO_COPY = ("harness", "knowledge_base")
PYTEST_ARGS = ("-q", "-p", "no:cacheprovider", "-m", "not postgres and not browser and not slow")
