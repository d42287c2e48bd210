"""The pemda list (province, kabupaten, kota) with time zones; fuzzy matching of instansi text."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.content import ContentError
from bot.hours import Zone

KINDS = ("provinsi", "kabupaten", "kota")
ZONES = frozenset(zone.value for zone in Zone)
COLUMNS = ("code", "name", "kind", "province", "zone", "region")


class RegionsError(ContentError, ValueError):
    """regions.csv is malformed; the message names the file and the line."""


_MARKERS = {
    "kab": "kabupaten",
    "kabupaten": "kabupaten",
    "pemkab": "kabupaten",
    "kota": "kota",
    "pemkot": "kota",
    "kotamadya": "kota",
    "prov": "provinsi",
    "provinsi": "provinsi",
    "propinsi": "provinsi",
    "pemprov": "provinsi",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say "this is a local government" without saying which kind.
_PEMDA_WORDS = _words(
    "pemda pemerintah bpkad bkad bpkd bpkpd bppkad bapenda bappeda bappelitbangda dinas dprd setda "
    "sekda inspektorat dispenda bpprd"
)
# Region names that are also everyday words: they need a kind or pemda word, or the whole answer.
_COMMON = _words(
    "batu buru puncak bone malang kudus batang agam landak banjar palu lebak metro medan pati bima "
    "serang sorong padang tegal"
)
_SKIP = frozenset({"adm", "administrasi"})
_MAX_TOKENS = 40
_MAX_WINDOW = 5


@dataclass(frozen=True)
class Region:
    """One province, kabupaten or kota."""

    code: str
    name: str
    kind: str
    province: str
    zone: Zone
    region: str


def _tokens(text: str) -> list[str]:
    words = re.sub(r"[^0-9a-z]+", " ", text.lower()).split()
    return ["kepulauan" if word == "kep" else word for word in words][:_MAX_TOKENS]


def _key(text: str) -> str:
    return "".join(_tokens(text))


def _core(name: str) -> str:
    for prefix in ("Prov. ", "Kab. ", "Kota ", "Adm. "):
        name = name.removeprefix(prefix)
    return name


def _passes(key: str, score: float) -> bool:
    if len(key) <= 6:
        return score == 100
    return score >= (90 if len(key) <= 9 else 87)


class RegionIndex:
    """All regions with their lookup keys; `match` finds the pemda named in free text."""

    def __init__(
        self, regions: Sequence[Region], aliases: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.regions = tuple(regions)
        self._by_code = {region.code: region for region in self.regions}
        self._by_key: dict[str, list[Region]] = {}
        for region in self.regions:
            names = [_core(region.name), *(aliases or {}).get(region.code, ())]
            for name in names:
                bucket = self._by_key.setdefault(_key(name), [])
                if region not in bucket:
                    bucket.append(region)
        self._keys = list(self._by_key)

    @classmethod
    def load(cls, kb_dir: Path) -> RegionIndex:
        """Read knowledge_base/regions.csv."""
        path = Path(kb_dir) / "regions.csv"
        regions: list[Region] = []
        aliases: dict[str, list[str]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                missing = [key for key in COLUMNS if row.get(key) is None]
                if missing:
                    raise RegionsError(f"{path}:{line}: missing {', '.join(missing)}")
                if row["kind"] not in KINDS:
                    raise RegionsError(f"{path}:{line}: unknown kind {row['kind']!r}")
                if row["zone"] not in ZONES:
                    raise RegionsError(f"{path}:{line}: unknown zone {row['zone']!r}")
                zone = Zone(row["zone"])
                regions.append(
                    Region(
                        row["code"], row["name"], row["kind"], row["province"], zone, row["region"]
                    )
                )
                aliases[row["code"]] = [a for a in (row.get("aliases") or "").split("|") if a]
        return cls(regions, aliases)

    def __len__(self) -> int:
        return len(self.regions)

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions)

    def by_code(self, code: str) -> Region | None:
        """The region with this Kemendagri code."""
        return self._by_code.get(code)

    def by_name(self, name: str) -> Region | None:
        """The region with exactly this display name ('Kab. Brebes')."""
        return next((region for region in self.regions if region.name == name), None)

    def match(self, text: str) -> Region | None:
        """The province, kabupaten or kota named in `text`, or None when nothing is close enough."""
        tokens = _tokens(text or "")
        hints = [_MARKERS[t] for t in tokens if t in _MARKERS]
        contextual = bool(hints) or any(t in _PEMDA_WORDS for t in tokens)
        whole = "".join(t for t in tokens if t not in _MARKERS and t not in _PEMDA_WORDS)
        best: tuple[tuple[int, float, float], Region] | None = None
        for start in range(len(tokens)):
            before = [t for t in tokens[:start] if t not in _SKIP]
            hint = _MARKERS.get(before[-1]) if before else None
            hint = hint or (hints[0] if hints else None)
            for end in range(start + 1, min(start + _MAX_WINDOW, len(tokens)) + 1):
                window = "".join(tokens[start:end])
                for key, score, _ in process.extract(
                    window, self._keys, scorer=fuzz.ratio, score_cutoff=87, limit=3
                ):
                    if not _passes(key, score):
                        continue
                    if key in _COMMON and not contextual and whole != key:
                        continue
                    for region in self._by_key[key]:
                        kind_rank = 2 if region.kind == hint else -KINDS.index(region.kind) / 10
                        rank = (len(window), score, kind_rank)
                        if best is None or rank > best[0]:
                            best = (rank, region)
        return best[1] if best else None
