"""The console's "Basis Pengetahuan" routes (issue 16): what a unit's FAQ missed, its entries,
and validated, attributed, reversible edits of its file (bot.kb.loop does the work).

GET  /api/knowledge                              units the user works on, mail status, today
GET  /api/knowledge/summary?unit=&month=         monthly review summary per unit
GET  /api/knowledge/groups?unit=&resolved=1      question groups (misses and "Tidak" votes)
GET  /api/knowledge/entries?unit=&show=due|flagged|all   entries, with each unit's file version
GET  /api/knowledge/entries/<id>                 one entry, its file version and its history
GET  /api/knowledge/history?unit=                recorded changes
POST /api/knowledge/entries                      {unit, fields, version, group_id}: new entry
POST /api/knowledge/entries/<id>                 {fields, version, group_id}: edit
POST /api/knowledge/entries/<id>/questions       {questions, version, group_id}: add phrasings
POST /api/knowledge/entries/<id>/reviewed        {version}: reviewed_on = today
POST /api/knowledge/changes/<change_id>/revert   undo a recorded change

A unit PIC works on its own unit only, a supervisor on every unit, an agent on none (403).
Every edit names the file version it was made on: a file changed meanwhile answers 409 with the
current version; an edit the loader refuses answers 422 with its `file:line: message` problems.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from datetime import date, datetime
from functools import cached_property, partial
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.clock import Clock, utcnow
from bot.console import times
from bot.console.access import Denied
from bot.console.auth import Guard, Handler
from bot.console.knowledge_access import check_any, check_unit, unit_filter, visible_units
from bot.console.responses import BadRequest, body, error, read_body, reply, text_field
from bot.console.services import ConsoleServices
from bot.console.users import ConsoleUser
from bot.db import engine_for
from bot.hours import Zone
from bot.kb.loop.edits import EditRejected, KnowledgeEditor, NotAllowed, VersionConflict
from bot.kb.loop.grouping import question_groups
from bot.kb.loop.mail import SmtpSettings, mail_status
from bot.kb.loop.records import Change, EntryView, QuestionGroup
from bot.kb.loop.review import entries, month_of, previous_month, review_summary
from bot.kb.loop.sql import changes, review_runs
from bot.kb.yamlfile import KbError

SHOWS = ("due", "flagged", "all")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LIST_FIELDS = ("questions", "references", "keywords", "programs")
TEXT_FIELDS = ("topic", "answer", "confirm", "reviewed_on", "valid_until")
MAX_ITEMS, MAX_TEXT = 50, 2000
GROUP_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
HISTORY_LIMIT = 200
CONFLICT = (
    "Berkas unit ini sudah diubah orang lain sejak Bapak/Ibu membukanya. Perubahan Bapak/Ibu "
    "belum disimpan: muat ulang entri untuk melihat versi terbaru, lalu ulangi perubahan."
)
REJECTED = "Perubahan tidak disimpan karena berkas tidak lolos validasi."


def _run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return asyncio.to_thread(partial(function, *args, **kwargs))


def plain(record: Any) -> Any:
    """A record (dataclass, tuple, date) as JSON-ready values."""
    if is_dataclass(record) and not isinstance(record, type):
        return {f.name: plain(getattr(record, f.name)) for f in dataclass_fields(record)}
    if isinstance(record, (list, tuple)):
        return [plain(item) for item in record]
    if isinstance(record, (date, datetime)):
        return record.isoformat()
    return record


def _string_list(name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise BadRequest(f"{name} must be a list of at most {MAX_ITEMS} texts")
    if not all(isinstance(item, str) and len(item) <= MAX_TEXT for item in value):
        raise BadRequest(f"{name}: every item must be a text of at most {MAX_TEXT} characters")
    return [item.strip() for item in value if item.strip()]


def entry_fields(data: dict[str, Any], *, with_id: bool = False) -> dict[str, Any]:
    """The `fields` object of an edit, type-checked; the loader judges the values."""
    raw = data.get("fields")
    if not isinstance(raw, dict) or not raw:
        raise BadRequest("fields must be a non-empty object")
    known = (*LIST_FIELDS, *TEXT_FIELDS, "review_every_days", *(("id",) if with_id else ()))
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in known:
            raise BadRequest(f"field {name!r} cannot be edited here")
        if name in LIST_FIELDS:
            out[name] = _string_list(name, value)
        elif name == "review_every_days":
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise BadRequest("review_every_days must be a number")
            out[name] = value
        else:
            if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
                raise BadRequest(f"{name} must be a text of at most {MAX_TEXT} characters")
            out[name] = value.strip() if isinstance(value, str) else None
    return out


def group_of(data: dict[str, Any]) -> str | None:
    """The question group an edit resolves, if it names one."""
    value = text_field(data, "group_id", 64, required=False)
    if value and not GROUP_ID.match(value):
        raise BadRequest("group_id is not a question group id")
    return value or None


class KnowledgeApi:
    """Routes of the "Basis Pengetahuan" view, behind the console's guard."""

    def __init__(self, services: ConsoleServices, guard: Guard, clock: Clock = utcnow) -> None:
        self.services, self.guard, self.clock = services, guard, clock

    @cached_property
    def engine(self) -> Any:
        return engine_for(self.services.settings.db_url)

    @cached_property
    def editor(self) -> KnowledgeEditor:
        return KnowledgeEditor(self.services.settings.kb_dir, self.engine, self.clock)

    @property
    def zone(self) -> Zone:
        return Zone(self.services.settings.console_zone)

    def today(self) -> date:
        """Today in the console's zone (WIB by default): the date `reviewed_on` is set to."""
        return self.clock().astimezone(self.zone.tzinfo).date()

    def mount(self, blueprint: Blueprint) -> None:
        """Add the routes to the console blueprint."""
        base = "/api/knowledge"
        routes: list[tuple[Handler, str, str, str]] = [
            (self.overview, base, "GET", "overview"),
            (self.summary, f"{base}/summary", "GET", "summary"),
            (self.groups, f"{base}/groups", "GET", "groups"),
            (self.entry_list, f"{base}/entries", "GET", "entries"),
            (self.history, f"{base}/history", "GET", "history"),
            (self.entry, f"{base}/entries/<entry_id:str>", "GET", "entry"),
            (self.create, f"{base}/entries", "POST", "create"),
            (self.update, f"{base}/entries/<entry_id:str>", "POST", "update"),
            (self.add_questions, f"{base}/entries/<entry_id:str>/questions", "POST", "questions"),
            (self.reviewed, f"{base}/entries/<entry_id:str>/reviewed", "POST", "reviewed"),
            (self.revert, f"{base}/changes/<change_id:int>/revert", "POST", "revert"),
        ]
        for handler, path, method, name in routes:
            blueprint.add_route(
                self.guard.protect(partial(self._answer, handler)),
                path,
                methods=[method],
                name=f"console_knowledge_{name}_{method.lower()}",
                stream=method == "POST",
            )

    async def _answer(self, handler: Handler, request: Request, **kwargs: Any) -> HTTPResponse:
        """Run a route, answering its refusals with their status and message."""
        if request.method == "POST" and (too_large := await read_body(request)) is not None:
            return too_large
        try:
            check_any(request.ctx.session.user)  # an agent: 403 before anything is looked up
            return await handler(request, **kwargs)
        except Denied as denied:
            return error(denied.status, denied.message)
        except VersionConflict as conflict:
            return error(409, CONFLICT, version=conflict.current_version)
        except EditRejected as rejected:
            return error(422, REJECTED, problems=rejected.problems)
        except NotAllowed as refused:
            return error(403, str(refused))
        except KbError as broken:  # the files on disk do not load (a hand edit): say where
            return error(503, "Basis pengetahuan tidak dapat dimuat.", problems=broken.messages)

    # -- reading -------------------------------------------------------------------------

    def _user(self, request: Request) -> ConsoleUser:
        return request.ctx.session.user

    def _units(self, user: ConsoleUser) -> tuple[str, ...]:
        return visible_units(user, [unit.slug for unit in self.services.units])

    def _asked_unit(self, request: Request) -> str | None:
        return unit_filter(self._user(request), request.args.get("unit") or None)

    def _stamp(self, at: datetime) -> str:
        return times.stamp(at, self.zone)

    def _group(self, group: QuestionGroup) -> dict[str, Any]:
        data = plain(group)
        data["last_seen_text"] = self._stamp(group.last_seen)
        data["first_seen_text"] = self._stamp(group.first_seen)
        return data

    def _change(self, change: Change) -> dict[str, Any]:
        data = plain(change)
        data["at_text"] = self._stamp(change.at)
        return data

    def _entry(self, entry: EntryView) -> dict[str, Any]:
        return plain(entry)

    async def overview(self, request: Request) -> HTTPResponse:
        """The units the user works on (slug and name), today, and whether summaries are mailed."""
        user = self._user(request)
        units = self._units(user)
        names = {unit.slug: unit.name for unit in self.services.units}
        try:
            mail = mail_status(SmtpSettings.from_env())
        except ValueError as exc:
            mail = f"Pengaturan e-mail tidak valid: {exc}. Ringkasan tidak dikirim lewat e-mail."
        return reply(
            {
                "units": [{"slug": slug, "name": names.get(slug, slug)} for slug in units],
                "own_unit": user.unit,
                "today": self.today().isoformat(),
                "mail": {"configured": mail is None, "detail": mail},
            }
        )

    def _summaries(self, units: tuple[str, ...], month: str) -> list[dict[str, Any]]:
        runs = review_runs(self.engine)
        out = []
        for unit in units:
            summary = review_summary(
                self.engine,
                self.services.settings.kb_dir,
                unit,
                month,
                self.today(),
                self.services.knowledge,
            )
            data = plain(summary)
            run = next((r for r in runs if r.unit == unit and r.month == month), None)
            data["mail_run"] = plain(run) if run else None
            out.append(data)
        return out

    async def summary(self, request: Request) -> HTTPResponse:
        """GET summary: each unit's review of a month (default: the month just ended)."""
        user = self._user(request)
        asked = self._asked_unit(request)
        month = request.args.get("month") or previous_month(month_of(self.clock()))
        if not MONTH.match(month):
            raise BadRequest("month must be YYYY-MM")
        units = (asked,) if asked else self._units(user)
        return reply({"month": month, "summaries": await _run(self._summaries, units, month)})

    async def groups(self, request: Request) -> HTTPResponse:
        """GET groups: the question groups of the user's unit (a supervisor: all or one unit)."""
        unit = self._asked_unit(request)
        resolved = request.args.get("resolved") in ("1", "true")
        found = await _run(
            question_groups,
            self.engine,
            self.services.knowledge,
            unit=unit,
            include_resolved=resolved,
        )
        return reply({"groups": [self._group(g) for g in found]})

    async def entry_list(self, request: Request) -> HTTPResponse:
        """GET entries: a unit's entries, all or those due for review or flagged."""
        user = self._user(request)
        unit = self._asked_unit(request)
        show = request.args.get("show") or "all"
        if show not in SHOWS:
            raise BadRequest(f"show must be one of {', '.join(SHOWS)}")
        found = await _run(entries, self.services.settings.kb_dir, unit=unit, today=self.today())
        if show == "due":
            found = [e for e in found if e.review_due]
        elif show == "flagged":
            found = [e for e in found if e.flagged]
        units = (unit,) if unit else self._units(user)
        versions = {u: await _run(self._version, u) for u in units}
        return reply(
            {"entries": [self._entry(e) for e in found], "versions": versions, "show": show}
        )

    def _version(self, unit: str) -> str | None:
        try:
            return self.editor.version(unit)
        except NotAllowed:  # a unit without a FAQ file yet
            return None

    def _find(self, entry_id: str) -> EntryView:
        found = entries(self.services.settings.kb_dir, today=self.today())
        entry = next((e for e in found if e.id == entry_id), None)
        if entry is None:
            raise Denied(404, "Entri tidak ditemukan.")
        return entry

    async def _visible_entry(self, request: Request, entry_id: str) -> EntryView:
        entry = await _run(self._find, entry_id)
        check_unit(self._user(request), entry.unit)
        return entry

    async def entry(self, request: Request, entry_id: str) -> HTTPResponse:
        """GET one entry: its fields, dates, file version and change history."""
        entry = await self._visible_entry(request, entry_id)
        history = await _run(changes, self.engine, unit=entry.unit, entry_id=entry.id)
        return reply(
            {
                "entry": self._entry(entry),
                "version": await _run(self.editor.version, entry.unit),
                "history": [self._change(c) for c in history],
            }
        )

    async def history(self, request: Request) -> HTTPResponse:
        """GET history: the recorded changes of the user's unit (a supervisor: all or one)."""
        unit = self._asked_unit(request)
        found = await _run(changes, self.engine, unit=unit, limit=HISTORY_LIMIT)
        return reply({"changes": [self._change(c) for c in found]})

    # -- editing -------------------------------------------------------------------------

    async def _saved(self, unit: str, change: Change) -> HTTPResponse:
        version = await _run(self.editor.version, unit)
        return reply({"change": self._change(change), "version": version})

    async def create(self, request: Request) -> HTTPResponse:
        """POST entries: a new entry in the unit's file (from a question group or not)."""
        user, data = self._user(request), body(request)
        unit = text_field(data, "unit", 80)
        check_unit(user, unit)
        change = await _run(
            self.editor.create_entry,
            unit,
            entry_fields(data, with_id=True),
            author=user.username,
            version=text_field(data, "version", 64),
            group_id=group_of(data),
        )
        return await self._saved(unit, change)

    async def update(self, request: Request, entry_id: str) -> HTTPResponse:
        """POST entries/<id>: change the entry's fields."""
        entry, data = await self._visible_entry(request, entry_id), body(request)
        change = await _run(
            self.editor.update_entry,
            entry.unit,
            entry.id,
            entry_fields(data),
            author=self._user(request).username,
            version=text_field(data, "version", 64),
            group_id=group_of(data),
        )
        return await self._saved(entry.unit, change)

    async def add_questions(self, request: Request, entry_id: str) -> HTTPResponse:
        """POST entries/<id>/questions: add a group's phrasings to the entry."""
        entry, data = await self._visible_entry(request, entry_id), body(request)
        questions = _string_list("questions", data.get("questions"))
        if not questions:
            raise BadRequest("questions must hold at least one text")
        change = await _run(
            self.editor.add_questions,
            entry.unit,
            entry.id,
            questions,
            author=self._user(request).username,
            version=text_field(data, "version", 64),
            group_id=group_of(data),
        )
        return await self._saved(entry.unit, change)

    async def reviewed(self, request: Request, entry_id: str) -> HTTPResponse:
        """POST entries/<id>/reviewed: the unit confirms the entry today."""
        entry, data = await self._visible_entry(request, entry_id), body(request)
        change = await _run(
            self.editor.mark_reviewed,
            entry.unit,
            entry.id,
            author=self._user(request).username,
            version=text_field(data, "version", 64),
            today=self.today(),
        )
        return await self._saved(entry.unit, change)

    async def revert(self, request: Request, change_id: int) -> HTTPResponse:
        """POST changes/<id>/revert: undo a change (a supervisor, or the PIC of its unit)."""
        user = self._user(request)
        found = await _run(changes, self.engine)
        target = next((c for c in found if c.id == change_id), None)
        if target is None:
            raise Denied(404, "Perubahan tidak ditemukan.")
        check_unit(user, target.unit)
        change = await _run(self.editor.revert, change_id, author=user.username)
        return await self._saved(target.unit, change)
