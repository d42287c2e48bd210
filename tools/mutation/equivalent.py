"""Surviving mutmut mutants judged equivalent (no behaviour a caller could notice changes).

Keyed by module and by the mutant's changed lines (`-old | +new`, as run.py prints them), so
the list survives mutmut renumbering its mutants; each value says why the mutant is equivalent.
"""

from __future__ import annotations

EQUIVALENT: dict[str, dict[str, str]] = {}
