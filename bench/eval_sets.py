"""The shared development sets (../shared/eval) through the project's own doors: the FAQ sets
through `python -m bot.kb search` (score_faq.py), the conversations through a running stack's
REST channel (run_conversations.py). Skipped when ../shared/eval is not there."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from harness.stack import ROOT, Stack

EVAL = ROOT.parent / "shared" / "eval"


def run(*args: str) -> str:
    """The last line a scoring script printed."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def main() -> None:
    print("== shared development sets ==")
    if not (EVAL / "score_faq.py").exists():
        print(f"  {EVAL} not found: skipped")
        return
    print(f"  faq-dev.tsv (CLI): {run(str(EVAL / 'score_faq.py'), str(EVAL / 'faq-dev.tsv'))}")
    refuse = run(str(EVAL / "score_faq.py"), "--refuse", str(EVAL / "faq-refuse-dev.tsv"))
    print(f"  faq-refuse-dev.tsv (CLI): {refuse}")
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        env = {"DJPK_VAR_DIR": tmp, "DJPK_DB_URL": f"sqlite:///{var / 'djpk.db'}"}
        stack = Stack(model=ROOT / "models" / "djpk.tar.gz", env=env, tracker_db=var / "t.db")
        with stack:
            url = f"{stack.url}/webhooks/rest/webhook"
            result = run(
                str(EVAL / "run_conversations.py"),
                str(EVAL / "conversations-dev.yml"),
                "--url",
                url,
                "--token",
                stack.rest_token,
            )
    print(f"  conversations-dev.yml (REST): {result}")


if __name__ == "__main__":
    main()
