"""Run every benchmark in order; each prints its own figures and targets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "faq_search",
    "calibrate",
    "faq_turn",
    "eval_sets",
    "letters",
    "tickets",
    "console",
    "whatsapp",
    "intents",
    "report",
    "long_message",
    "uploads",
    "rasa_stack",
    "scaled_hosts",
]


def main() -> int:
    failed = []
    for name in ORDER:
        script = ROOT / "bench" / f"{name}.py"
        if not script.exists():
            continue
        print(f"\n######## bench/{name}.py", flush=True)
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=ROOT)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that crashed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
