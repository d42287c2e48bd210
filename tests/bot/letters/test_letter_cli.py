"""The `python -m bot.letters` contract: verify (text, file, stdin), add, validate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.letters.documents import sha256_of
from harness.letter_samples import letter_lines, render_pdf
from tests.bot.letters.conftest import FIXTURES, KB_DIR, ROOT

VERDICTS = {"genuine", "mismatch", "revoked", "known_hoax", "not_found", "near_match"}


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.letters", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _contract(line: str) -> dict:
    result = json.loads(line)
    assert result["verdict"] in VERDICTS
    assert result["number"] is None or isinstance(result["number"], str)
    assert isinstance(result["reasons"], list) and all(
        isinstance(r, str) for r in result["reasons"]
    )
    return result


def test_verify_text_json() -> None:
    done = _run(
        "verify", "apakah surat UND-41/PK.3/2023 benar dari djpk?", "--json", "--kb", str(KB_DIR)
    )
    assert done.returncode == 0, done.stderr
    result = _contract(done.stdout)
    assert (result["verdict"], result["number"]) == ("genuine", "UND-41/PK.3/2023")
    assert "Undangan Webinar Perpres" in result["reasons"][0]


def test_verify_text_without_json_prints_the_reply() -> None:
    done = _run("verify", "UND-107/PK/2019", "--kb", str(KB_DIR))
    assert "PERINGATAN" in done.stdout and "0811-150420-7" in done.stdout


def test_verify_pdf_file_json() -> None:
    pdf = FIXTURES / "UND-901_PK.3_2099.pdf"
    done = _run("verify", str(pdf), "--json", "--examples", "--kb", str(KB_DIR))
    result = _contract(done.stdout)
    assert (result["verdict"], result["source"]) == ("genuine", "pdf_hash")


def test_verify_photo_file_json(tmp_path: Path) -> None:
    from harness.letter_samples import image_bytes, render_image

    lines = letter_lines("UND-41/PK.3/2023", "Undangan Webinar Perpres Petunjuk Teknis DAK Fisik")
    photo = tmp_path / "surat.jpg"
    photo.write_bytes(image_bytes(render_image(lines, photo=True, seed=5)))
    result = _contract(_run("verify", str(photo), "--json", "--kb", str(KB_DIR)).stdout)
    assert (result["verdict"], result["number"], result["source"]) == (
        "genuine",
        "UND-41/PK.3/2023",
        "ocr",
    )


def test_verify_a_missing_file_is_an_error(tmp_path: Path) -> None:
    done = _run("verify", str(tmp_path / "surat.pdf"), "--json", "--kb", str(KB_DIR))
    assert done.returncode == 2 and "no such file" in done.stderr


def test_verify_stdin_one_json_object_per_line_in_order() -> None:
    texts = ["UND-41/PK.3/2023", "UND-107/PK/2019", "halo", "UND-41/PK.3/2022", ""]
    done = _run("verify", "-", "--json", "--kb", str(KB_DIR), stdin="\n".join(texts) + "\n")
    lines = done.stdout.splitlines()
    assert len(lines) == len(texts)
    verdicts = [_contract(line)["verdict"] for line in lines]
    assert verdicts == ["genuine", "known_hoax", "not_found", "near_match", "not_found"]


def test_add_appends_a_validated_entry_and_keeps_comments(kb_copy: Path, tmp_path: Path) -> None:
    pdf = render_pdf(letter_lines("S-77/PK.2/2024", "Rekonsiliasi DAU"), tmp_path / "s77.pdf")
    official = kb_copy / "letters" / "official.yml"
    before = official.read_text()
    args = ["add", str(pdf), "--number", "s 77/pk.2/2024", "--date", "2024-05-02"]
    args += ["--subject", "Rekonsiliasi Data DAU", "--unit", "Direktorat Dana Transfer Umum"]
    args += ["--event-date", "2024-05-20", "--event-mode", "daring", "--kb", str(kb_copy)]
    done = _run(*args)
    assert done.returncode == 0, done.stderr
    after = official.read_text()
    assert after.startswith(before.rstrip("\n"))
    assert "# Registri surat keluar resmi DJPK" in after
    assert "number: S-77/PK.2/2024" in after and sha256_of(pdf.read_bytes()) in after
    assert _run("validate", str(kb_copy)).returncode == 0
    verify = _run("verify", str(pdf), "--json", "--kb", str(kb_copy))
    assert _contract(verify.stdout)["source"] == "pdf_hash"
    again = _run(*args)
    assert again.returncode == 1 and "already registered" in again.stderr
    assert official.read_text() == after


def test_add_refuses_an_entry_that_would_make_the_file_invalid(
    kb_copy: Path, tmp_path: Path
) -> None:
    pdf = render_pdf(letter_lines("S-78/PK/2024", "X"), tmp_path / "s78.pdf")
    official = kb_copy / "letters" / "official.yml"
    before = official.read_text()
    args = ["add", str(pdf), "--number", "S-78/PK/2024", "--date", "2023-05-02", "--subject", "X"]
    done = _run(*args, "--kb", str(kb_copy))
    assert done.returncode == 1 and "not in the number's year" in done.stderr
    assert official.read_text() == before
    bad_date = _run(
        "add", str(pdf), "--number", "S-78/PK/2024", "--date", "2-5-2024", "--subject", "X"
    )
    assert bad_date.returncode == 1 and "bad date" in bad_date.stderr


def test_validate_reports_file_and_line(kb_copy: Path) -> None:
    assert _run("validate", str(kb_copy)).returncode == 0
    hoaxes = kb_copy / "letters" / "hoaxes.yml"
    hoaxes.write_text(hoaxes.read_text().replace("reported: 2019-11", "reported: kemarin"))
    done = _run("validate", str(kb_copy / "letters"))
    assert done.returncode == 1
    line = next(i for i, t in enumerate(hoaxes.read_text().splitlines(), 1) if "kemarin" in t)
    assert f"{hoaxes}:{line}: bad date 'kemarin'" in done.stdout
