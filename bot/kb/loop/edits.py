"""Edits of a unit's FAQ file from the console: validated by the loader `bot.kb validate` uses,
written atomically, byte for byte the same outside the edited entry, recorded and reversible.

Every edit names the version (content hash) of the file it was made on: an edit of a file
changed meanwhile (by another PIC or by hand) raises VersionConflict instead of overwriting.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from sqlalchemy import text, update
from sqlalchemy.engine import Engine

from bot.clock import Clock, utcnow
from bot.db import session_factory
from bot.kb.loader import OPTIONAL, REQUIRED, faq_dir, faq_files, load_dir
from bot.kb.loop.records import Action, Change
from bot.kb.loop.sql import change_record
from bot.kb.loop.tables import KbChangeRow
from bot.kb.loop.yamlblocks import FaqText, Unparsable, set_fields
from bot.kb.programs import FILE as PROGRAMS_FILE
from bot.kb.yamlfile import KbError

EDITABLE = tuple(k for k in (*REQUIRED, *OPTIONAL) if k not in ("id", "unit"))
ROLES_EDITING_ALL = ("supervisor",)
_local = threading.Lock()


def edit_lock_key(unit: str) -> int:
    """The PostgreSQL advisory lock key of a unit's FAQ file (a signed 64-bit number)."""
    digest = hashlib.sha256(f"djpk-kb-edit:{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class EditRejected(ValueError):
    """The edit would leave the file invalid; `problems` are `file:line: message` texts."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


class VersionConflict(RuntimeError):
    """The file changed since the version the edit was made on."""

    def __init__(self, current_version: str) -> None:
        super().__init__(f"the file changed meanwhile (now version {current_version})")
        self.current_version = current_version


class NotAllowed(PermissionError):
    """This unit, entry or user may not be edited this way."""


def may_edit(role: str, own_unit: str | None, unit: str) -> bool:
    """Whether a console user may edit `unit`'s file: a supervisor any, a PIC its own, else none."""
    return role in ROLES_EDITING_ALL or (role == "unit_pic" and own_unit == unit)


def check_may_edit(role: str, own_unit: str | None, unit: str) -> None:
    """NotAllowed unless `may_edit`."""
    if not may_edit(role, own_unit, unit):
        raise NotAllowed(f"pengguna ini tidak dapat mengubah berkas unit {unit}")


def version_of(text: str) -> str:
    """The version of a file's content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class KnowledgeEditor:
    """Edits the FAQ files of `kb_dir` and records each change in `kb_changes`."""

    def __init__(self, kb_dir: Path, engine: Engine, clock: Clock = utcnow) -> None:
        self.kb_dir = Path(kb_dir)
        self.engine, self.clock = engine, clock
        self._sessions = session_factory(engine)

    # -- files ---------------------------------------------------------------------------

    def path(self, unit: str) -> Path:
        """The unit's own file; NotAllowed when the unit has none."""
        folder = faq_dir(self.kb_dir)
        path = folder / f"{unit}.yml"
        if not unit or "/" in unit or unit.startswith(".") or not path.is_file():
            raise NotAllowed(f"unit {unit!r} has no FAQ file in {folder}")
        return path

    def file(self, unit: str) -> str:
        """The unit's file relative to the knowledge-base folder ("faq/<unit>.yml")."""
        path = self.path(unit)
        try:
            return str(path.relative_to(self.kb_dir))
        except ValueError:
            return path.name

    def version(self, unit: str) -> str:
        """The content hash of the unit's file (pass it back with the edit)."""
        return version_of(self.path(unit).read_text(encoding="utf-8"))

    @contextlib.contextmanager
    def _locked(self, unit: str) -> Iterator[Path]:
        """The unit's file, locked against other editors: threads and processes of this
        machine (a file lock), and on PostgreSQL the other hosts too (an advisory lock named by
        the unit, held on its own connection while the edit runs)."""
        path = self.path(unit)
        key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
        lock_path = Path(tempfile.gettempdir()) / f"djpk-kb-edit-{key}.lock"
        # the hosts' lock first: waiting for another host must not hold up this process's
        # edits of other units
        with self._hosts_locked(unit), _local, open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield path
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _hosts_locked(self, unit: str) -> Iterator[None]:
        if self.engine.dialect.name != "postgresql":
            yield
            return
        key = edit_lock_key(unit)
        with self.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})

    # -- edits ---------------------------------------------------------------------------

    def add_questions(
        self,
        unit: str,
        entry_id: str,
        questions: Sequence[str],
        *,
        author: str,
        version: str,
        group_id: str | None = None,
    ) -> Change:
        """Append phrasings to an entry's `questions` (ones it already has are skipped)."""
        new = [" ".join(q.split()) for q in questions if q.strip()]
        if not new:
            raise EditRejected([f"{self.file(unit)}:0: no question to add"])

        def change(entry: CommentedMap) -> None:
            have = entry.get("questions")
            if not isinstance(have, list):
                set_fields(entry, {"questions": new})
                return
            known = {" ".join(str(q).split()).lower() for q in have}
            for question in new:
                if question.lower() not in known:
                    have.append(question)
                    known.add(question.lower())

        return self._edit(unit, entry_id, change, "add_questions", author, version, group_id)

    def update_entry(
        self,
        unit: str,
        entry_id: str,
        fields: dict[str, Any],
        *,
        author: str,
        version: str,
        group_id: str | None = None,
    ) -> Change:
        """Set fields of an entry (None or "" removes an optional one); id and unit stay."""
        self._check_fields(unit, fields)
        return self._edit(
            unit,
            entry_id,
            lambda e: set_fields(e, dict(fields)),
            "update",
            author,
            version,
            group_id,
        )

    def mark_reviewed(
        self, unit: str, entry_id: str, *, author: str, version: str, today: date
    ) -> Change:
        """Set the entry's `reviewed_on` to `today`."""
        return self._edit(
            unit,
            entry_id,
            lambda e: set_fields(e, {"reviewed_on": today}),
            "review",
            author,
            version,
            None,
        )

    def create_entry(
        self,
        unit: str,
        fields: dict[str, Any],
        *,
        author: str,
        version: str,
        group_id: str | None = None,
    ) -> Change:
        """Add an entry at the end of the unit's file (`unit:` is set to the file's unit)."""
        fields = dict(fields)
        entry_id = str(fields.pop("id", "") or "").strip()
        fields.pop("unit", None)
        self._check_fields(unit, fields)
        with self._locked(unit) as path:
            text, faq = self._current(unit, path, version)
            if faq.index(entry_id) is not None:
                raise EditRejected([f"{self.file(unit)}:0: entry '{entry_id}' already exists"])
            entry = CommentedMap()
            entry["id"] = entry_id
            entry["unit"] = unit
            set_fields(entry, fields)
            block = faq.dump(entry, faq.dash_column(0) if len(faq.entries) else 2)
            return self._commit(
                unit,
                path,
                text,
                faq.appended(block),
                entry_id,
                "create",
                author,
                "",
                block,
                group_id,
                None,
            )

    def revert(self, change_id: int, *, author: str) -> Change:
        """Undo a recorded change: the entry back as it was (a created entry removed).

        Refused (EditRejected) when the entry changed again since: undo the later change first.
        """
        with self._sessions() as session:
            row = session.get(KbChangeRow, change_id)
            if row is None:
                raise NotAllowed(f"no change {change_id}")
            if row.reverted_by is not None:
                raise EditRejected([f"{row.file}:0: change {change_id} was already reverted"])
            unit, entry_id, before, after = row.unit, row.entry_id, row.before, row.after
        with self._locked(unit) as path:
            text = path.read_text(encoding="utf-8")
            faq = self._parsed(unit, text)
            number = faq.index(entry_id)
            if number is None or faq.block(number) != after:
                raise EditRejected(
                    [
                        f"{self.file(unit)}:{faq.span(number)[0] + 1 if number is not None else 0}"
                        f": entry '{entry_id}' changed after change {change_id}; "
                        "revert the later change first"
                    ]
                )
            new_text = faq.replaced(number, before)
            return self._commit(
                unit,
                path,
                text,
                new_text,
                entry_id,
                "revert",
                author,
                after,
                before,
                None,
                change_id,
            )

    # -- the common path -----------------------------------------------------------------

    def _check_fields(self, unit: str, fields: dict[str, Any]) -> None:
        unknown = [k for k in fields if k not in EDITABLE]
        if unknown:
            raise EditRejected(
                [f"{self.file(unit)}:0: field '{k}' cannot be edited here" for k in unknown]
            )

    def _parsed(self, unit: str, text: str) -> FaqText:
        try:
            return FaqText.parse(text)
        except Unparsable as exc:
            raise EditRejected([f"{self.file(unit)}:{exc.line}: {exc.problem}"]) from exc

    def _current(self, unit: str, path: Path, version: str) -> tuple[str, FaqText]:
        text = path.read_text(encoding="utf-8")
        if version_of(text) != version:
            raise VersionConflict(version_of(text))
        return text, self._parsed(unit, text)

    def _edit(
        self,
        unit: str,
        entry_id: str,
        change: Callable[[CommentedMap], None],
        action: Action,
        author: str,
        version: str,
        group_id: str | None,
    ) -> Change:
        with self._locked(unit) as path:
            text, faq = self._current(unit, path, version)
            number = faq.index(entry_id)
            if number is None:
                owner = self._owner_of(entry_id)
                if owner is not None:
                    raise NotAllowed(f"entry '{entry_id}' belongs to unit {owner}")
                raise EditRejected([f"{self.file(unit)}:0: no entry '{entry_id}'"])
            entry = faq.entry(number)
            before = faq.block(number)
            change(entry)
            after = faq.dump(entry, faq.dash_column(number))
            if after == before:
                raise EditRejected(
                    [f"{self.file(unit)}:{faq.span(number)[0] + 1}: nothing changed"]
                )
            return self._commit(
                unit,
                path,
                text,
                faq.replaced(number, after),
                entry_id,
                action,
                author,
                before,
                after,
                group_id,
                None,
            )

    def _owner_of(self, entry_id: str) -> str | None:
        for path in faq_files(faq_dir(self.kb_dir)):
            with contextlib.suppress(Unparsable, OSError, UnicodeDecodeError):
                if FaqText.parse(path.read_text(encoding="utf-8")).index(entry_id) is not None:
                    return path.stem
        return None

    def validate(self, unit: str, text: str) -> None:
        """EditRejected when the unit's file with this text would not load as `bot.kb validate`
        loads the knowledge base (problems of the file, and new problems it causes elsewhere)."""
        path = self.path(unit)
        shown = self.file(unit)
        with tempfile.TemporaryDirectory(prefix="djpk-kb-check-") as tmp:
            copy = Path(tmp)
            folder = copy / "faq"
            folder.mkdir()
            for other in faq_files(faq_dir(self.kb_dir)):
                if other.name != path.name:
                    shutil.copyfile(other, folder / other.name)
            if (self.kb_dir / PROGRAMS_FILE).is_file():
                shutil.copyfile(self.kb_dir / PROGRAMS_FILE, copy / PROGRAMS_FILE)
            before = self._problems(copy, folder, path.read_text(encoding="utf-8"), path.name)
            after = self._problems(copy, folder, text, path.name)
        # the loader names the copy absolute or relative to the working directory: either way
        # "<...>/djpk-kb-check-XXXX/faq/<file>" becomes "faq/<file>"
        copy_name = re.compile(r"\S*" + re.escape(copy.name) + r"/faq/")
        new = [copy_name.sub("faq/", p) for p in after if p not in before or path.name in p]
        if new:
            rel = {f"faq/{path.name}": shown}
            raise EditRejected([_relabel(p, rel) for p in new])

    @staticmethod
    def _problems(copy: Path, folder: Path, text: str, name: str) -> list[str]:
        (folder / name).write_text(text, encoding="utf-8")
        try:
            load_dir(copy)
        except KbError as exc:
            return [str(m) for m in exc.messages]
        return []

    def _commit(
        self,
        unit: str,
        path: Path,
        old: str,
        new: str,
        entry_id: str,
        action: Action,
        author: str,
        before: str,
        after: str,
        group_id: str | None,
        reverts: int | None,
    ) -> Change:
        self.validate(unit, new)
        file = self.file(unit)
        diff = "".join(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{file}",
                tofile=f"b/{file}",
            )
        )
        row = KbChangeRow(
            at=self.clock(),
            unit=unit,
            file=file,
            entry_id=entry_id,
            action=action,
            author=author[:64],
            diff=diff,
            before=before,
            after=after,
            group_id=group_id,
            reverts=reverts,
        )
        written = False
        try:
            with self._sessions() as session, session.begin():
                session.add(row)
                session.flush()
                if reverts is not None:
                    session.execute(
                        update(KbChangeRow)
                        .where(KbChangeRow.id == reverts)
                        .values(reverted_by=row.id)
                    )
                write_atomically(path, new)
                written = True
        except Exception:
            if written:  # the record did not commit: the file goes back as it was
                write_atomically(path, old)
            raise
        return change_record(row)


def _relabel(problem: str, names: dict[str, str]) -> str:
    for short, shown in names.items():
        if problem.startswith(short + ":"):
            return shown + problem[len(short) :]
    return problem


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, then rename it over."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
