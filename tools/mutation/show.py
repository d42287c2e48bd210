"""Diffs of many mutants in one process (`mutmut show` costs a start-up per mutant).

Run in a mutmut work folder: mutant names on stdin, one per line; a JSON object name -> diff out.
"""

from __future__ import annotations

import json
import sys

from mutmut.__main__ import find_mutant, get_diff_for_mutant


def main() -> None:
    diffs = {}
    for name in sys.stdin.read().split():
        diffs[name] = get_diff_for_mutant(name, path=find_mutant(name).path)
    json.dump(diffs, sys.stdout)


if __name__ == "__main__":
    main()
