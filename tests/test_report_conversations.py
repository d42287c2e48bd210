"""The monthly report from real conversations through the trained bot (REST), on SQLite and on
PostgreSQL: spam, another institution's question, an FAQ answer and a letter check are counted
from their conversation labels, the hand-off by its ticket, each once.

The action server runs under libfaketime from Wednesday 2 December 2026, 10.00 WIB, so every label
and ticket falls in December 2026 whatever today's date is."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from harness.stack import ROOT, Stack
from tests.stacks import kb_copy, needs_model, start_stack

pytestmark = needs_model
VECTORS = ROOT / "var" / "kb-embeddings.sqlite"
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
WEDNESDAY_10_WIB = "@2026-12-02 03:00:00"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    if not FAKETIME.exists():
        pytest.skip("Debian's faketime is not installed (make system-deps)")
    kb = kb_copy(tmp_path_factory.mktemp("kb"), open_all_day=False)
    var = tmp_path_factory.mktemp("var")
    env = {"DJPK_VECTOR_CACHE": str(VECTORS), "DJPK_RELEASE_INTERVAL_S": "0"}
    if request.param == "postgresql":
        env["DJPK_DB_URL"] = request.getfixturevalue("postgres_module_url")
    fake = {
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME": WEDNESDAY_10_WIB,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "UTC",
    }
    running = start_stack(kb, var, env=env, action_env=fake)
    yield running
    running.stop()


def say(stack: Stack, sender: str, text: str) -> str:
    return "\n".join(r.get("text", "") for r in stack.say(sender, text))


def report(stack: Stack, out: Path) -> dict:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.report", "--month", "2026-12"]
        + ["--out", str(out)],
        env={**os.environ, **stack.env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads((out / "summary.json").read_text())


def test_every_conversation_is_a_row_of_the_report(stack: Stack, tmp_path: Path) -> None:
    assert "bonus" not in say(stack, "r-spam", "slot gacor malam ini bonus deposit 200%")
    referred = say(stack, "r-efin", "min saya lupa efin npwp pribadi, gmn cara minta lagi?")
    assert "pajak" in referred.lower()
    answered = say(stack, "r-dau", "min, dau tahap 1 kpn cair ya?")
    assert "DAU" in answered
    checked = say(stack, "r-surat", "apakah surat nomor UND-12/PK/2023 benar dari djpk?")
    assert "UND-12/PK/2023" in checked
    say(stack, "r-agent", "saya ingin bicara dengan petugas")
    say(stack, "r-agent", "Siti Aminah")
    say(stack, "r-agent", "BPKAD Kab. Lembata")
    handed = say(stack, "r-agent", "dana desa tahap 2 belum masuk rekening desa")
    assert re.search(r"DJPK-20261202-\d{4}", handed), handed

    s = report(stack, tmp_path / "report")

    volume = s["volume"]
    assert (volume["total"], volume["bot_only"]) == (5, 4)
    assert {c["key"]: c["count"] for c in volume["channels"]}["lainnya"] == 5  # REST
    topics = s["topics"]
    counted = {t["topic"]: t["count"] for t in topics["technical"] + topics["other"]}
    assert {topic: n for topic, n in counted.items() if n} == {
        "Spam": 1,
        "Non-DJPK": 1,
        "DAU": 1,
        "Pengaduan": 1,
        "Dana Desa": 1,
    }
    assert s["hours"]["total"] == 5 and s["assistant"]["bot_only"] == 4
    pemda = {p["pemda"]: p["count"] for p in s["top_pemda"]}
    assert pemda.get("Kab. Lembata") == 1
