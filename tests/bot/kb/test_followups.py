"""Follow-ups rewritten from the previous question with the program catalogue."""

from __future__ import annotations

import pytest
from kb_samples import REAL_KB

from bot.kb.followups import expand
from bot.kb.programs import load_programs

PROGRAMS = load_programs(REAL_KB)


@pytest.mark.parametrize(
    ("text", "previous", "expected"),
    [
        ("kalau DBH?", "min, dau tahap 1 kpn cair ya?", "min dbh tahap 1 kapan cair ya"),
        ("klo dbh?", "syarat salur dau apa aja ya min", "syarat salur dbh apa saja ya min"),
        ("bagaimana dengan dana desa", "syarat salur dau apa", "syarat salur dana desa apa"),
        (
            "kalau dana alokasi khusus fisik?",
            "juknis dbh sudah ada",
            "juknis dana alokasi khusus fisik sudah ada",
        ),
        ("tahap 2nya kapan?", "dau tahap 1 kpn cair ya?", "dau tahap 2 kapan cair ya"),
        ("yang tahap 2?", "dau tahap 1 kpn cair ya?", "dau tahap 2 kapan cair ya"),
        ("yang tahap 3?", "syarat salur dau", "syarat salur dau tahap 3"),
        ("klo utk kota?", "dau tahap 1 kpn cair ya?", "dau tahap 1 kapan cair ya kota"),
    ],
)
def test_a_follow_up_becomes_the_previous_question_changed(text, previous, expected):
    assert expand(text, previous, PROGRAMS) == expected


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("kalau DBH?", None),  # nothing to follow
        ("dau tahap 1 kapan cair ya pak, soalnya kami butuh segera", "syarat salur dbh"),  # long
        ("kalau dau?", "syarat salur dau"),  # the same program: a question of its own
        ("kalau dbh?", "nomor wa djpk berapa"),  # the previous question named no program
        ("portal data apbd dimana", "mekanisme pencairan tdf"),  # a question of its own
    ],
)
def test_what_is_not_a_follow_up(text, previous):
    assert expand(text, previous, PROGRAMS) is None
