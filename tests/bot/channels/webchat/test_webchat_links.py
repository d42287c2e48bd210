"""Link sanitising: a table of evil inputs, checked by pattern and by the widget's own renderer."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import time

import pytest

from bot.channels.webchat.links import is_safe_url, sanitize_text, sanitize_value
from tests.bot.channels.webchat.conftest import ROOT

EVIL = [
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1)  )",
    "[klik](<javascript:alert(1)>)",
    "[klik](<java\tscript:alert(1)>)",
    "[klik](<java\nscript:alert(1)>)",
    "[klik](&#106;avascript:alert(1))",
    "[klik](&#x6A;avascript&colon;alert(1))",
    "[klik](javascript&#58;alert(1))",
    "[klik](javascript&#x3a;alert(1))",
    "[klik](javascript\\:alert(1))",
    "[klik](&Tab;javascript:alert(1))",
    "[klik](java&#x09;script:alert(1))",
    "[klik](\x01javascript:alert(1))",
    "[klik](&amp;#106;avascript:alert(1))",
    '[klik](javascript:alert(1) "judul")',
    "[klik](javascript:alert(1) 'judul')",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](DATA:text/html,<script>alert(1)</script>)",
    "[klik](file:///etc/passwd)",
    "[a [b] c](javascript:alert(1))",
    "[[x](javascript:alert(1))](https://djpk.kemenkeu.go.id)",
    "![gambar](javascript:alert(1))",
    "![gambar](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,x>",
    "[klik][1]\n\n[1]: javascript:alert(1)",
    "[klik][1]\n\n[1]:\n   javascript:alert(1)",
    '[klik][1]\n\n[1]: <javascript:alert(1)> "t"',
    "[klik]\n\n[klik]: javascript:alert(1)",
    "javascript:alert(document.cookie)",
    "java\tscript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))[y](javascript:alert(2))",
    "**[tebal](javascript:alert(1))**",
    "> [kutipan](javascript:alert(1))",
    "- [butir](javascript:alert(1))",
]
SAFE = [
    ("[Situs DJPK](https://djpk.kemenkeu.go.id)", "https://djpk.kemenkeu.go.id"),
    ("[surel](mailto:callcenter.djpk@kemenkeu.go.id)", "mailto:callcenter.djpk@kemenkeu.go.id"),
    ("[Dering DJPK](tel:150420)", "tel:150420"),
    ("Lihat https://djpk.kemenkeu.go.id/portal ya", "https://djpk.kemenkeu.go.id/portal"),
    ("<https://djpk.kemenkeu.go.id>", "https://djpk.kemenkeu.go.id"),
    ("[WA](https://wa.me/628111504207?text=halo)", "https://wa.me/628111504207?text=halo"),
    ("[panduan](/webchat/static/panduan.pdf)", "/webchat/static/panduan.pdf"),
]
PLAIN = ["Kirim data: nama dan NIP", "Jam layanan: 08.00-16.00 WIB", "Skor (1) dan [2]"]


def browser_scheme(url: str) -> str | None:
    """The scheme a browser would use: C0/space stripped at the ends, tab/newline removed."""
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip("\x00\x01\x02\x03 \x1f")
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


@pytest.mark.parametrize("text", EVIL)
def test_evil_links_lose_their_destination(text: str) -> None:
    clean = sanitize_text(text)
    probe = html.unescape(re.sub(r"[\s\\]", "", clean)).lower()
    assert "javascript:" not in probe and "vbscript:" not in probe
    assert not re.search(r"(\]\(|<|\]:)(data|file):", probe)


@pytest.mark.parametrize(("text", "url"), SAFE)
def test_normal_links_are_kept(text: str, url: str) -> None:
    assert sanitize_text(text) == text
    assert is_safe_url(url)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_untouched(text: str) -> None:
    assert sanitize_text(text) == text


def test_link_text_survives_without_its_link() -> None:
    assert sanitize_text("Buka [portal](javascript:alert(1)) sekarang") == "Buka portal sekarang"


def test_structures_are_sanitised_by_key() -> None:
    message = {
        "text": "[x](javascript:alert(1))",
        "elements": [
            {
                "title": "Kartu",
                "image_url": "data:image/png;base64,AAAA",
                "default_action": {"type": "web_url", "url": "javascript:alert(1)"},
                "buttons": [{"type": "web_url", "url": "https://djpk.kemenkeu.go.id"}],
            }
        ],
    }
    clean = sanitize_value(message)
    assert clean["text"] == "x"
    card = clean["elements"][0]
    assert card["image_url"] == "" and card["default_action"]["url"] == ""
    assert card["buttons"][0]["url"] == "https://djpk.kemenkeu.go.id"


@pytest.mark.parametrize(
    "evil",
    [
        "[" * 5000,
        "[a](" * 2000,
        "[a]( " + " " * 5000 + "x",
        "[a]:" + " \t" * 5000,
        "(" * 5000,
        "[a](x '" + "\\'" * 4000,
        "&#" * 5000,
        "j\\" * 5000,
        ("[" + " " * 50) * 200,
    ],
)
def test_hostile_input_is_handled_in_linear_time(evil: str) -> None:
    start = time.perf_counter()
    sanitize_text(evil)
    assert time.perf_counter() - start < 0.5


def test_the_widgets_markdown_renderer_gets_no_unsafe_link() -> None:
    """Render through react-markdown as rasa-webchat 1.0.1 does; every href must be safe."""
    node = shutil.which("node")
    modules = ROOT / "web/node_modules"
    if node is None or not (modules / "react-markdown").is_dir():
        pytest.skip("node or web/node_modules missing: run `npm ci --prefix web`")
    texts = EVIL + [text for text, _ in SAFE]
    rendered = json.loads(
        subprocess.run(
            [node, str(ROOT / "tests/bot/channels/webchat/render_markdown.js")],
            input=json.dumps([sanitize_text(text) for text in texts]),
            capture_output=True,
            text=True,
            check=True,
            env={"NODE_PATH": str(modules)},
        ).stdout
    )
    raw = json.loads(
        subprocess.run(
            [node, str(ROOT / "tests/bot/channels/webchat/render_markdown.js")],
            input=json.dumps(EVIL[:3]),
            capture_output=True,
            text=True,
            check=True,
            env={"NODE_PATH": str(modules)},
        ).stdout
    )
    assert all(browser_scheme(page["urls"][0]) == "javascript" for page in raw)  # the threat
    for text, page in zip(texts, rendered, strict=True):
        for url in page["urls"]:
            assert browser_scheme(url) in (None, "http", "https", "mailto", "tel"), (text, page)
    safe_pages = rendered[len(EVIL) :]
    assert [page["urls"][0] for page in safe_pages] == [url for _, url in SAFE]
