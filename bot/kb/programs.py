"""Programs a question can name (DAU, Dana Desa, PDRD...), read from knowledge_base/programs.yml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.kb.terms import phrase
from bot.kb.yamlfile import KbError, read_top_rows

FILE = "programs.yml"
ANY = "any"  # an entry's `programs: [any]`: a service entry that fits every program
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Program:
    """One program or service family, its owning unit and the ways users name it."""

    id: str
    name: str
    unit: str
    names: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True)
class Programs:
    """The program catalogue: finds programs named in a text and tells related programs apart."""

    programs: tuple[Program, ...] = ()
    _by_id: dict[str, Program] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _owner: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        owner = {phrase(name): p.id for p in self.programs for name in (p.name, *p.names)}
        owner.pop("", None)
        phrases = sorted(owner, key=len, reverse=True)  # longest first: "dak fisik" before "dak"
        pattern = r"\b(" + "|".join(map(re.escape, phrases)) + r")\b" if phrases else None
        object.__setattr__(self, "_by_id", {p.id: p for p in self.programs})
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_pattern", re.compile(pattern) if pattern else None)

    def get(self, program_id: str) -> Program | None:
        """One program by id."""
        return self._by_id.get(program_id)

    def named_in(self, text: str) -> tuple[str, ...]:
        """Ids of the programs a text names, in order of appearance, each once."""
        if self._pattern is None:
            return ()
        found = (self._owner[m.group(1)] for m in self._pattern.finditer(phrase(text)))
        return tuple(dict.fromkeys(found))

    def names_in(self, text: str) -> list[str]:
        """The program names as written in the normalised text ("dbh", "dana desa"), in order."""
        if self._pattern is None:
            return []
        return [m.group(1) for m in self._pattern.finditer(phrase(text))]

    def replace_names(self, text: str, name: str) -> str:
        """The normalised text with its first program name replaced by `name`, the others gone."""
        words = phrase(text)
        if self._pattern is None:
            return words
        seen: list[bool] = []

        def swap(found: re.Match[str]) -> str:
            seen.append(True)
            return name if len(seen) == 1 else " "

        return " ".join(self._pattern.sub(swap, words).split())

    def without_names(self, text: str) -> str:
        """The normalised phrase with every program name taken out ("dana alokasi umum" too)."""
        words = phrase(text)
        return " ".join(self._pattern.sub(" ", words).split()) if self._pattern else words

    def lineage(self, program_id: str) -> tuple[str, ...]:
        """The program and its ancestors, nearest first."""
        chain: list[str] = []
        current: str | None = program_id
        while current and current not in chain:
            chain.append(current)
            program = self._by_id.get(current)
            current = program.parent if program else None
        return tuple(chain)

    def related(self, a: str, b: str) -> bool:
        """True when one program is the other or one of its ancestors."""
        return a in self.lineage(b) or b in self.lineage(a)

    def fits(self, asked: Iterable[str], entry_programs: Iterable[str]) -> bool:
        """Whether an entry about `entry_programs` may answer a question naming `asked`."""
        asked, about = tuple(asked), tuple(entry_programs)
        if not asked or ANY in about:
            return True
        return any(self.related(a, e) for a in asked for e in about)


def _text(value: object) -> str:
    """A non-empty text as itself; anything else (a number, a list, null, blank) as ''."""
    return value if isinstance(value, str) and value.strip() else ""


def load_programs(kb_dir: Path) -> Programs:
    """The catalogue of `<kb_dir>/programs.yml` (empty when the file is absent)."""
    path = Path(kb_dir) / FILE
    if not path.is_file():
        return Programs()
    lines: dict[str, int] = {}
    programs, errors = [], []
    for number, (line, row) in enumerate(read_top_rows(path, "programs"), 1):
        where = f"{path}:{line}: program {number}"
        if not isinstance(row, dict) or not _ID.fullmatch(_text(row.get("id"))):
            errors.append(f"{where}: needs an 'id' in kebab-case")
            continue
        names, parent = row.get("names") or [], row.get("parent")
        texts = isinstance(names, list) and all(_text(n) for n in names)
        if not (_text(row.get("name")) and _text(row.get("unit")) and texts):
            errors.append(
                f"{where} ({row['id']}): needs 'name', 'unit' and a 'names' list of texts"
            )
            continue
        if parent is not None and not _ID.fullmatch(_text(parent)):
            errors.append(f"{where} ({row['id']}): 'parent' must be a program id")
            continue
        if row["id"] in lines:
            errors.append(f"{where}: duplicate id '{row['id']}' (first at line {lines[row['id']]})")
            continue
        lines[row["id"]] = line
        programs.append(
            Program(
                id=row["id"],
                name=row["name"],
                unit=row["unit"],
                names=tuple(names),
                parent=parent,
            )
        )
    known = {p.id for p in programs}
    errors += [
        f"{path}:{lines[p.id]}: program {p.id}: unknown parent '{p.parent}'"
        for p in programs
        if p.parent and p.parent not in known
    ]
    if errors:
        raise KbError(errors)
    return Programs(tuple(programs))
