"""Letters benchmark: >=100 verification cases, accuracy per verdict, false genuine, p95 latency.

Run: .venv/bin/python bench/letters.py  (or -m bench.letters). Exit 1 if anything fake is
called genuine; latency figures are printed against their targets, not enforced.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.letters.numbers import LetterNumber  # noqa: E402
from bot.letters.records import LetterStatus  # noqa: E402
from bot.letters.verifier import Verifier  # noqa: E402
from harness.letter_samples import (  # noqa: E402
    image_bytes,
    letter_lines,
    render_image,
    render_pdf,
)

CASES_FILE = ROOT / "tests" / "benchmark" / "letters_cases.yml"
FIXTURES = ROOT / "tests" / "bot" / "letters" / "fixtures"
TEXT_P95_MS, PHOTO_P95_S = 20, 3
TEMPLATES = (
    "{n}",
    "apakah surat {n} benar dari djpk?",
    "Selamat siang, mohon konfirmasi surat nomor {n}, apakah resmi?",
    "Nomor : {n}\nSifat : Segera",
    "min, {n} itu asli ga ya",
)
RED_FLAGS = (
    "Peserta dikenakan biaya kontribusi Rp 3.500.000 per orang.",
    "Biaya pendaftaran ditransfer ke rekening BNI 0987654321 a.n. Panitia.",
    "Konfirmasi kehadiran ke WhatsApp 0812-7777-6666 (Ibu Rina).",
    "Daerah peserta dijanjikan tambahan alokasi DAK tahun berikutnya.",
    "Kirim bukti transfer ke sekretariat.bimtek@yahoo.com.",
)
_OCR = str.maketrans({"0": "O", "1": "l", "5": "S", "8": "B"})


@dataclass(frozen=True)
class Case:
    """One benchmark case: a text or a file, and the verdict it must get."""

    expect: str
    kind: str  # text | photo | pdf
    text: str = ""
    path: Path | None = None


def _spellings(number: LetterNumber, rng: random.Random) -> list[str]:
    canonical = number.canonical
    head, _, tail = (
        canonical.partition("-") if number.prefix and "-" in canonical else ("", "", canonical)
    )
    spaced = tail.replace("/", " / ")
    digits_damaged = tail.translate(_OCR) if number.unit and not number.is_regulation else tail
    variants = [
        canonical,
        canonical.lower(),
        f"{head} {spaced}".strip(),
        f"{head}-{digits_damaged}".strip("-"),
    ]
    return [v if rng.random() < 0.7 else v.replace(".", " ") for v in variants]


def _mutations(number: LetterNumber) -> list[tuple[LetterNumber, str]]:
    out = [(LetterNumber(number.prefix, number.seq, number.unit, number.year - 1), "near_match")]
    out.append(
        (LetterNumber(number.prefix, number.seq + 300, number.unit, number.year + 2), "not_found")
    )
    if number.seq >= 10:
        out.append(
            (
                LetterNumber(
                    number.prefix, int(str(number.seq)[::-1]) or 1, number.unit, number.year
                ),
                "near_match",
            )
        )
    if number.unit and number.unit.startswith("PK"):
        other = "PK.5" if number.unit != "PK.5" else "PK.6"
        out.append((LetterNumber(number.prefix, number.seq, other, number.year), "near_match"))
    return out


def generated_cases(verifier: Verifier, rng: random.Random) -> list[Case]:
    """Spelling/OCR variants, one-part decoys, red-flag copies and hoax numbers."""
    registry = verifier.registry
    cases = []
    for letter in registry.letters:
        expect = "revoked" if letter.status is LetterStatus.REVOKED else "genuine"
        for spelling in _spellings(letter.number, rng):
            cases.append(Case(expect, "text", rng.choice(TEMPLATES).format(n=spelling)))
        for decoy, expect_decoy in _mutations(letter.number):
            if registry.get(decoy) or registry.hoax_for(decoy):
                continue
            cases.append(
                Case(expect_decoy, "text", rng.choice(TEMPLATES).format(n=decoy.canonical))
            )
        if not letter.number.is_regulation:
            flagged = f"{letter.number.canonical}. {rng.choice(RED_FLAGS)}"
            cases.append(Case("mismatch" if expect == "genuine" else "revoked", "text", flagged))
    for hoax in registry.hoaxes:
        if hoax.number:
            for spelling in _spellings(hoax.number, rng)[:3]:
                cases.append(Case("known_hoax", "text", rng.choice(TEMPLATES).format(n=spelling)))
    return cases


def file_cases(folder: Path) -> list[Case]:
    """PDFs (by hash and by text) and photos rendered now with Pillow."""
    cases = [
        Case("genuine", "pdf", path=FIXTURES / "UND-901_PK.3_2099.pdf"),
        Case("revoked", "pdf", path=FIXTURES / "S-902_PK_2099.pdf"),
        Case("genuine", "pdf", path=FIXTURES / "SE-903_PK.2_2099.pdf"),
    ]
    webinar = "Undangan Webinar Perpres Petunjuk Teknis DAK Fisik TA 2023"
    fee = (
        "Peserta wajib membayar kontribusi Rp 3.500.000, ditransfer ke rekening BRI 0123456789.",
    )
    jf = ("Bimtek Capacity Building JF AKPD dilaksanakan offline di hotel.", fee[0])
    documents = [
        ("genuine", "pdf", letter_lines("UND-41/PK.3/2023", webinar)),
        ("mismatch", "pdf", letter_lines("UND-41/PK.3/2023", webinar, body=fee)),
        ("genuine", "photo", letter_lines("UND-41/PK.3/2023", webinar)),
        (
            "genuine",
            "photo",
            letter_lines("SE-1/PK/2023", "Pengecekan dan Pemutakhiran Data Jumlah Desa"),
        ),
        (
            "genuine",
            "photo",
            letter_lines("S-38/PK/2024", "Layanan DJPK Tidak Dipungut Biaya", "5 Januari 2024"),
        ),
        (
            "genuine",
            "photo",
            letter_lines("SE-1/PK.1/2023", "Pedoman Dukungan Kegiatan Layanan Kehumasan"),
        ),
        ("mismatch", "photo", letter_lines("UND-41/PK.3/2023", webinar, body=fee)),
        ("mismatch", "photo", letter_lines("SE-1/PK/2023", "Undangan Bimtek Dana Desa", body=fee)),
        (
            "known_hoax",
            "photo",
            letter_lines("UND-88/PK/2023", "Undangan Capacity Building JF AKPD", body=jf),
        ),
        (
            "known_hoax",
            "photo",
            letter_lines("UND-107/PK/2019", "Undangan Bimtek Obligasi Daerah", "4 November 2019"),
        ),
        ("near_match", "photo", letter_lines("UND-41/PK.3/2022", webinar, "28 Februari 2022")),
        (
            "revoked",
            "photo",
            letter_lines("S-902/PK/2099", "Pemberitahuan Jadwal Rekonsiliasi Data", "2 Maret 2099"),
        ),
    ]
    for index, (expect, kind, lines) in enumerate(documents):
        if kind == "pdf":
            path = render_pdf(lines, folder / f"doc{index}.pdf")
        else:
            path = folder / f"photo{index}.jpg"
            path.write_bytes(image_bytes(render_image(lines, photo=True, seed=index)))
        cases.append(Case(expect, kind, path=path))
    from PIL import Image

    blank = folder / "blank.jpg"
    blank.write_bytes(image_bytes(Image.new("RGB", (900, 1200), (235, 235, 230))))
    return cases + [Case("not_found", "photo", path=blank)]


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as a child)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    """Run every case, print accuracy per verdict, false genuine and latency."""
    rng = random.Random(20230228)
    verifier = Verifier.from_kb(ROOT / "knowledge_base", include_examples=True)
    raw = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]
    cases = [Case(c["expect"], "text", c["text"]) for c in raw] + generated_cases(verifier, rng)
    verifier.verify_text("pemanasan UND-41/PK.3/2023")
    with tempfile.TemporaryDirectory() as folder:
        cases += file_cases(Path(folder))
        results, timings = [], defaultdict(list)
        cpu = []
        for case in cases:
            cpu_before = _cpu()
            started = time.perf_counter()
            if case.kind == "text":
                verdict = verifier.verify_text(case.text)
            else:
                verdict = verifier.verify_file(case.path)
            timings[case.kind].append(time.perf_counter() - started)
            if case.kind == "photo":
                cpu.append(_cpu() - cpu_before)
            results.append((case, verdict.verdict.value))
    kinds = Counter(case.kind for case in cases)
    print(
        f"letters benchmark: {len(cases)} cases ({', '.join(f'{n} {k}' for k, n in kinds.items())})"
    )
    print(f"{'expected':<12}{'cases':>6}{'right':>7}{'accuracy':>10}")
    per = defaultdict(lambda: [0, 0])
    for case, got in results:
        per[case.expect][0] += 1
        per[case.expect][1] += got == case.expect
    for name, (total, right) in sorted(per.items()):
        print(f"{name:<12}{total:>6}{right:>7}{right / total:>10.1%}")
    right = sum(r for _, r in per.values())
    print(f"{'all':<12}{len(results):>6}{right:>7}{right / len(results):>10.1%}")
    false_genuine = [(c, g) for c, g in results if g == "genuine" and c.expect != "genuine"]
    print(f"false genuine: {len(false_genuine)} (must be 0)")
    text_ms = _p95(timings["text"]) * 1000
    print(f"text  p95 {text_ms:.2f} ms (target < {TEXT_P95_MS} ms), n={len(timings['text'])}")
    photo_s = _p95(timings["photo"])
    print(
        f"photo p95 {photo_s:.2f} s wall (target < {PHOTO_P95_S} s), n={len(timings['photo'])}; "
        f"CPU p95 {_p95(cpu):.2f} s; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"pdf   p95 {_p95(timings['pdf']) * 1000:.0f} ms, n={len(timings['pdf'])}")
    misses = [(c, g) for c, g in results if g != c.expect]
    for case, got in misses[:20]:
        shown = case.text.replace("\n", " ")[:70] if case.kind == "text" else case.path.name
        print(f"  miss: expected {case.expect}, got {got}: {shown}")
    return 1 if false_genuine else 0


if __name__ == "__main__":
    sys.exit(main())
