"""Over-long messages through the real assistant over REST: latency and Rasa server memory growth.

Starts the Rasa + action servers (harness.stack), warms them with short messages, then sends
messages of 2,000 (the cap: still parsed), 20,000 and 40,000 characters and a 5 MB body, each
ROUNDS times from fresh senders, and prints the median latency and the largest growth of the Rasa
server's resident memory (VmRSS, and its peak VmHWM) per message. Target: 20,000 characters
answered in < 1 s with < 50 MB of growth. Figures before the cap (Rasa's own RestInput, same
machine): 20,000 characters 1.36 s, +204 MB (peak +385 MB); 40,000 characters 3.7 s, +771 MB.
Run: .venv/bin/python -m bench.long_message
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

import requests

from bench.whatsapp_stack import TOKEN, channel_env
from harness.fakes.fake_graph import FakeGraph
from harness.stack import ROOT, Stack, peak_rss_mb

FILLER = "mohon info dana alokasi umum "  # the filler of ../shared/eval/run_conversations.py
LENGTHS = (2_000, 20_000, 40_000)
HUGE_BYTES = 5 * 1024 * 1024
WARM_UP = ["halo", "min nomor wa djpk brp ya", "dau tahap 1 kpn cair?", "jam layanan djpk"]
TARGET_S, TARGET_MB = 1.0, 50.0
ROUNDS = 3


def filler(chars: int) -> str:
    """`chars` characters of Indonesian filler, as the conversation evaluation sends."""
    return (FILLER * (chars // len(FILLER) + 1))[:chars]


def rss_mb(pid: int) -> float:
    """Current resident memory (VmRSS) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed_post(url: str, data: bytes, auth: dict[str, str]) -> tuple[float, int, str]:
    """POST a raw JSON body with the stack's token; (seconds, status, the reply texts joined or
    the error body)."""
    start = time.perf_counter()
    headers = {"Content-Type": "application/json", **auth}
    reply = requests.post(url, data=data, headers=headers, timeout=120)
    seconds = time.perf_counter() - start
    if reply.status_code != 200:
        return seconds, reply.status_code, reply.text[:120]
    return seconds, 200, " ".join(m.get("text") or "" for m in reply.json())[:120]


def measure(
    pid: int, url: str, data: bytes, auth: dict[str, str]
) -> tuple[float, int, float, float, str]:
    """One POST: (seconds, status, VmRSS growth MB, VmHWM growth MB, reply)."""
    before, peak_before = rss_mb(pid), peak_rss_mb(pid)
    seconds, status, text = timed_post(url, data, auth)
    time.sleep(0.5)  # let freed memory settle before reading VmRSS
    return seconds, status, rss_mb(pid) - before, peak_rss_mb(pid) - peak_before, text


def body(sender: str, text: str) -> bytes:
    """The REST channel's request body."""
    return json.dumps({"sender": sender, "message": text}).encode()


def main() -> None:
    """Start the stack, warm it, measure each message, print one row each and the verdict."""
    print("== Over-long messages (REST, real model) ==")
    graph = FakeGraph(token=TOKEN).start()
    tmp = tempfile.TemporaryDirectory()
    env = {**channel_env(graph, Path(tmp.name)), "DJPK_KB_DIR": str(ROOT / "knowledge_base")}
    model = ROOT / "models" / "djpk.tar.gz"
    stack = Stack(model=model, env=env, tracker_db=Path(tmp.name) / "tracker.db")
    url = f"{stack.url}/webhooks/rest/webhook"
    rows = []
    try:
        stack.start()
        for index, text in enumerate(WARM_UP * 3):
            stack.say(f"warm-{index % 3}", text)
        pid = stack.server_pid
        cases = [(f"{n:,} characters", filler(n)) for n in LENGTHS]
        cases.append(("5 MB body", "a" * HUGE_BYTES))
        for label, text in cases:
            runs = [
                measure(pid, url, body(f"{label}-{i}", text), stack.headers) for i in range(ROUNDS)
            ]
            seconds = statistics.median(run[0] for run in runs)
            grown, peak = max(run[2] for run in runs), max(run[3] for run in runs)
            rows.append((label, seconds, runs[-1][1], grown, peak, runs[-1][4]))
        after = stack.say("20,000 characters-0", "dau tahap 1 kpn cair?")
    finally:
        stack.stop()
        graph.stop()
        tmp.cleanup()
    print(f"median of {ROUNDS} rounds; memory: the largest growth of a round")
    print(f"{'message':<20}{'seconds':>9}{'HTTP':>6}{'RSS +MB':>9}{'peak +MB':>10}  reply")
    for label, seconds, status, grown, peak_grown, text in rows:
        print(f"{label:<20}{seconds:>9.3f}{status:>6}{grown:>9.1f}{peak_grown:>10.1f}  {text}")
    target = next(row for row in rows if row[0].startswith("20,000"))
    growth = max(target[3], target[4])
    verdict = "met" if target[1] < TARGET_S and growth < TARGET_MB else "NOT met"
    print(
        f"20,000 characters: {target[1] * 1000:.0f} ms, {growth:.1f} MB growth "
        f"(target < {TARGET_S:.0f} s and < {TARGET_MB:.0f} MB): {verdict}"
    )
    print(f"next normal message in that conversation answered: {bool(after)}")


if __name__ == "__main__":
    main()
