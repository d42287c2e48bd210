"""What the FAQ search by meaning costs a conversation: the same bot with the encoder on and off,
side by side on the REST channel, 1 sender in 6-turn conversations; rounds alternate between the
two stacks and each figure is the median over the rounds."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from pathlib import Path

from bench.rasa_stack import FAQ_MESSAGES, rest_load
from harness.stack import ROOT, Stack

ROUNDS = 3
TARGET_EXTRA_MS = 10.0  # issue 12: an FAQ turn's p50 at most this much above lexical search alone


def stack(var: Path, encoder: str) -> Stack:
    env = {
        "DJPK_VAR_DIR": str(var),
        "DJPK_DB_URL": f"sqlite:///{var / 'djpk.db'}",
        "DJPK_FAQ_ENCODER": encoder,
        "DJPK_VECTOR_CACHE": str(ROOT / "var" / "kb-embeddings.sqlite"),
    }
    return Stack(model=ROOT / "models" / "djpk.tar.gz", env=env, tracker_db=var / "tracker.db")


def main() -> None:
    print("== FAQ turn: search by meaning on vs off ==")
    with tempfile.TemporaryDirectory() as on_dir, tempfile.TemporaryDirectory() as off_dir:
        stacks = {
            "lexical + e5": stack(Path(on_dir), "on"),
            "lexical only": stack(Path(off_dir), "off"),
        }
        rows: dict[str, list[dict[str, float]]] = {label: [] for label in stacks}
        try:
            for running in stacks.values():
                running.start()
                url = f"{running.url}/webhooks/rest/webhook"
                asyncio.run(rest_load(url, FAQ_MESSAGES, 1, 6, headers=running.headers))
            for _ in range(ROUNDS):
                for label, running in stacks.items():
                    url = f"{running.url}/webhooks/rest/webhook"
                    load = rest_load(url, FAQ_MESSAGES, 1, 6, chats=10, headers=running.headers)
                    rows[label].append(asyncio.run(load))
        finally:
            for running in stacks.values():
                running.stop()
    p50 = {label: statistics.median(r["p50_ms"] for r in runs) for label, runs in rows.items()}
    p95 = {label: statistics.median(r["p95_ms"] for r in runs) for label, runs in rows.items()}
    for label in stacks:
        print(f"  {label:<14} p50 {p50[label]:6.1f} ms   p95 {p95[label]:6.1f} ms")
    extra = p50["lexical + e5"] - p50["lexical only"]
    print(
        f"  search by meaning adds {extra:.1f} ms to an FAQ turn's p50"
        f" (target <= {TARGET_EXTRA_MS:.0f})"
    )


if __name__ == "__main__":
    main()
