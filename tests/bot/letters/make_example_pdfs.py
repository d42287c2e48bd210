"""Regenerate the demo PDFs of knowledge_base/letters/examples.yml and print their SHA-256.

Run: .venv/bin/python tests/bot/letters/make_example_pdfs.py  (then copy changed hashes by hand)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # the repository root, for harness/

from harness.letter_samples import letter_lines, render_pdf  # noqa: E402

FIXTURES = HERE / "fixtures"
EXAMPLES = {
    "UND-901_PK.3_2099.pdf": letter_lines(
        "UND-901/PK.3/2099",
        "Undangan Sosialisasi Kebijakan DAK Fisik (CONTOH DEMO)",
        "1 Maret 2099",
        (
            "Dengan hormat, kami mengundang Saudara pada sosialisasi yang akan dilaksanakan pada "
            "hari Senin, 15 Maret 2099, bertempat di Aula Gedung Radius Prawiro, Jakarta.",
            "Kegiatan ini tidak dipungut biaya. Surat ini adalah CONTOH untuk demo.",
        ),
    ),
    "S-902_PK_2099.pdf": letter_lines(
        "S-902/PK/2099",
        "Pemberitahuan Jadwal Rekonsiliasi Data (CONTOH DEMO, DICABUT)",
        "2 Maret 2099",
    ),
    "SE-903_PK.2_2099.pdf": letter_lines(
        "SE-903/PK.2/2099",
        "Penyampaian Laporan Penggunaan DAU (CONTOH DEMO)",
        "3 Maret 2099",
    ),
}


def main() -> None:
    """Write every demo PDF and print name and hash."""
    FIXTURES.mkdir(exist_ok=True)
    for name, lines in EXAMPLES.items():
        path = render_pdf(lines, FIXTURES / name)
        print(name, hashlib.sha256(path.read_bytes()).hexdigest())


if __name__ == "__main__":
    main()
