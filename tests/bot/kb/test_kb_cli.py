"""`python -m bot.kb` through a real subprocess: validate, stale and search contracts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kb_samples import REAL_KB, ROOT, entry_yaml, line_of, write_faq


def run(*args: str, stdin: str | None = None, kb_dir: Path = REAL_KB):
    env = {**os.environ, "DJPK_KB_DIR": str(kb_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot.kb", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_real_knowledge_base_exits_0() -> None:
    result = run("validate", str(REAL_KB))
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_broken_folder_exits_1_with_file_line_messages(tmp_path: Path) -> None:
    path = write_faq(tmp_path, "unit", entry_yaml("Salah_ID", "unit", answer="a" * 1100))
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert (
        f"{path}:{line_of(path, 'id:')}: entry 'Salah_ID': id 'Salah_ID' must be kebab-case"
        in lines[0]
    )
    assert lines[1].startswith(f"{path}:{line_of(path, 'answer:')}: ")


def test_validate_defaults_to_djpk_kb_dir(tmp_path: Path) -> None:
    write_faq(tmp_path, "unit", entry_yaml("a", "unit", questions=("satu?",)))
    assert run("validate", kb_dir=tmp_path).returncode == 1


def test_search_json_contract() -> None:
    result = run("search", "min nomor wa djpk brp ya", "--json", "-k", "2")
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "kontak-whatsapp"
    assert len(hits) <= 2 and all(0.0 <= h["score"] <= 1.0 for h in hits)
    assert set(hits[0]) == {"id", "score"}
    assert json.loads(run("search", "jadwal liga inggris", "--json").stdout) == []


def test_search_stdin_prints_one_array_per_line_in_order() -> None:
    stdin = "dau tahap 1 kpn cair\njadwal liga inggris\nlupa efin gmn\n"
    result = run("search", "-", "--json", stdin=stdin)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0][0]["id"] == "dau-penyaluran-tahap-1"
    assert rows[1] == []
    assert rows[2][0]["id"] == "efin-npwp-bukan-djpk"


def test_stale_lists_entries_past_review_by_unit(tmp_path: Path) -> None:
    write_faq(tmp_path, "sekretariat", entry_yaml("lama", "sekretariat"))
    assert (
        "No stale or flagged entries"
        in run("stale", "--as-of", "2026-12-01", kb_dir=tmp_path).stdout
    )
    result = run("stale", "--as-of", "2027-01-15", kb_dir=tmp_path)
    assert result.returncode == 0
    assert "sekretariat (1):" in result.stdout and "lama: review due 2026-12-28" in result.stdout
    report = json.loads(run("stale", "--as-of", "2027-01-15", "--json", kb_dir=tmp_path).stdout)
    assert report["sekretariat"][0]["id"] == "lama"


def test_stale_lists_entries_flagged_for_the_unit_to_confirm(tmp_path: Path) -> None:
    flagged = entry_yaml("baru", "sekretariat", extra='    confirm: "jadwal belum pasti"')
    write_faq(tmp_path, "sekretariat", flagged, entry_yaml("pasti", "sekretariat"))
    result = run("stale", "--as-of", "2026-12-01", kb_dir=tmp_path)
    assert "sekretariat (1):" in result.stdout
    assert "baru: to confirm: jadwal belum pasti" in result.stdout and "pasti:" not in result.stdout
    report = json.loads(run("stale", "--as-of", "2026-12-01", "--json", kb_dir=tmp_path).stdout)
    assert [item["confirm"] for item in report["sekretariat"]] == ["jadwal belum pasti"]
