"""Follow-up questions rewritten with the previous question's context."""

import pytest

from bot.catalogue.followups import expand


@pytest.mark.parametrize(
    ("text", "previous", "expected"),
    [
        ("kalau DBH?", "min, dau tahap 1 kpn cair ya?", "min dbh tahap 1 kapan cair ya"),
        ("tahap 2nya kapan?", "dau tahap 1 kpn cair ya?", "dau tahap 2 kapan"),
        ("bagaimana dengan dana desa", "syarat salur dau apa", "syarat salur dana desa apa"),
        ("kalau DBH?", None, None),
        ("dau tahap 1 kapan cair ya pak, soalnya kami butuh segera", "syarat salur dbh", None),
    ],
)
def test_expand(text, previous, expected):
    assert expand(text, previous) == expected
