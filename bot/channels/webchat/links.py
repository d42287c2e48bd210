"""Link sanitising for the widget: rasa-webchat renders markdown links with no URL filter.

rasa-webchat 1.0.1 passes `transformLinkUri: null` to react-markdown, so a bot or agent text
like `[klik](javascript:alert(1))` becomes a live `javascript:` link. Every outgoing text and
button goes through here. Two layers:
1. Markdown links, images, autolinks and reference definitions whose destination is not
   http(s)/mailto/tel (or relative) lose their destination; the link text stays as plain text.
   Destinations are judged after the decoding remark and the browser do (character references,
   backslash escapes, tabs and newlines removed, case folded).
2. A catch-all: any remaining `javascript:`/`vbscript:` (spelt with entities, escapes or
   invisible characters) and any `data:` in a link position is defanged, so a construct the
   first layer did not parse still cannot become a link.
"""

from __future__ import annotations

import html
import re
from typing import Any

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_SCHEMES = frozenset({"http", "https"})
BLOCKED = "(tautan diblokir)"
URL_KEYS = frozenset({"url", "href", "link"})
IMAGE_KEYS = frozenset({"src", "image_url", "image"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_LABEL = r"(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*"
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<label>" + _LABEL + r")\]\((?=(?P<lead>\s*))(?P=lead)"
    r"(?P<dest><(?:\\.|[^<>\\\n])*>|(?:\\.|[^\s()\\]|\((?:\\.|[^\s()\\])*\))*)"
    r"(?P<title>(?=(?P<gap>\s+))(?P=gap)(?:\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)))?\s*\)"
)
_AUTOLINK = re.compile(r"<(?P<uri>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>" + _LABEL + r")\]:(?=(?P<gap>[ \t]*\n?[ \t]*))(?P=gap)"
    r"(?P<dest><[^<>\n]*>|\S+)[^\n]*$",
    re.MULTILINE,
)


_JUNK = r"(?:[\x00-\x20\x7f\\]|&(?:tab|newline|nbsp);|&#0*(?:9|10|13|32);?|&#x0*(?:9|a|d|20);?)*"


def _word(word: str) -> str:
    """Regex for a word whose letters may be character references, with invisible junk between."""
    letters = []
    for char in word:
        low, up = ord(char), ord(char.upper())
        letters.append(
            rf"(?:[{char}{char.upper()}]|&#0*(?:{low}|{up});?|&#x0*(?:{low:x}|{up:x});?)"
        )
    colon = r"(?::|&colon;|&#0*58;?|&#x0*3a;?)"
    return _JUNK.join(letters) + _JUNK + colon


_ANYWHERE = re.compile(f"(?:{_word('javascript')}|{_word('vbscript')})", re.IGNORECASE)
_LINK_POSITION = re.compile(
    rf"(?P<lead>[(<]|\]:)(?=(?P<gap>{_JUNK}))(?P=gap)(?:{_word('data')}|{_word('file')})",
    re.IGNORECASE,
)


def _decoded(url: str) -> str:
    """The destination as a browser finally sees it (decoding repeated until stable: stricter)."""
    text = url.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    for _ in range(5):
        decoded = html.unescape(_ESCAPED.sub(r"\1", text))
        if decoded == text:
            break
        text = decoded
    return _INVISIBLE.sub("", text).lower()


def is_safe_url(url: str, schemes: frozenset[str] = LINK_SCHEMES) -> bool:
    """True for http(s)/mailto/tel (or the given schemes) and for relative URLs."""
    probe = _decoded(url)
    match = _SCHEME.match(probe)
    if match:
        return match.group(1) in schemes
    head = re.split(r"[/?#]", probe, maxsplit=1)[0]
    return ":" not in head and "&" not in head


def _inline(match: re.Match[str]) -> str:
    label = sanitize_text(match.group("label"))
    if not is_safe_url(match.group("dest")):
        return label
    start, end = match.start("label") - match.start(), match.end("label") - match.start()
    return match.group(0)[:start] + label + match.group(0)[end:]


def _definition(match: re.Match[str]) -> str:
    return match.group(0) if is_safe_url(match.group("dest")) else ""


def _autolink(match: re.Match[str]) -> str:
    return match.group(0) if is_safe_url(match.group("uri")) else match.group("uri")


def sanitize_text(text: str) -> str:
    """Text with every unsafe link neutralised; normal links and all other text unchanged."""
    previous = None
    while previous != text:
        previous = text
        text = _INLINE.sub(_inline, text)
        text = _DEFINITION.sub(_definition, text)
        text = _AUTOLINK.sub(_autolink, text)
        text = _ANYWHERE.sub(BLOCKED, text)
        text = _LINK_POSITION.sub(lambda m: m.group("lead") + m.group("gap") + BLOCKED, text)
    return text


def sanitize_value(value: Any, key: str = "") -> Any:
    """A message structure with URLs checked by key and every other string sanitised as text."""
    if isinstance(value, dict):
        return {k: sanitize_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [sanitize_value(item, key) for item in value]
    if not isinstance(value, str):
        return value
    if key in URL_KEYS:
        return value if is_safe_url(value) else ""
    if key in IMAGE_KEYS:
        return value if is_safe_url(value, IMAGE_SCHEMES) else ""
    return sanitize_text(value)
