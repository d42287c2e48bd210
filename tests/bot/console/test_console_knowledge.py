"""The console's "Basis Pengetahuan" routes with real sessions on a real SQLite database and a copy
of the knowledge base: who may see and edit what, a group's phrasings added to an entry, the
version check, a refused edit with its line, review and revert.

The console's clock is injected (1 December 2026, 10.00 WIB); misses are stored as the bot stores
them, with the closest entry the served search finds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sanic import Blueprint, Sanic

from bot.console.auth import Guard
from bot.console.channel import STATIC_DIR, STATIC_FILES
from bot.console.knowledge import KnowledgeApi
from bot.console.services import ConsoleServices
from bot.db import engine_for
from bot.kb.live import KnowledgeBase
from bot.kb.misses import MissLog
from harness.fakes.serving import served
from tests.bot.console.conftest import PASSWORD, make_settings
from tests.bot.console.support import Client
from tests.bot.console.test_console_xss import MARKUP_SINKS
from tests.stacks import kb_copy

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)  # 10.00 WIB
DTK = "dana-transfer-khusus"
FILE = "faq/dana-transfer-khusus.yml"
ENTRY = "dak-fisik-juknis"
# Asked in chat and not answered (real wording of a pemda; no entry mentions sanitasi).
ASKED = (
    "petunjuk pelaksanaan dak sanitasi ada dimana",
    "petunjuk pelaksanaan dak sanitasi itu dimana",
)
OTHER_UNIT_ASKED = (
    "uang harian dinas luar kota provinsi kami berapa"  # shsr: evaluasi-informasi-keuangan-daerah
)
BASE = "/webhooks/console"


class Knowledge:
    """A served console with the knowledge routes, and what the tests inspect."""

    def __init__(self, url: str, services: ConsoleServices, kb: Path) -> None:
        self.url, self.services, self.kb = url, services, kb
        self.clients: list[Client] = []

    async def login(self, username: str) -> Client:
        client = Client(self.url)
        self.clients.append(client)
        status, _ = await client.login(username, PASSWORD)
        assert status == 200
        return client

    def text(self, unit: str = DTK) -> str:
        return (self.kb / "faq" / f"{unit}.yml").read_text(encoding="utf-8")


def ask(services: ConsoleServices, conversation: str, text: str, at: datetime) -> None:
    """A miss stored as the bot stores it: the closest entry of the served search."""
    match = services.knowledge.match(text)
    assert not match.confident, text
    MissLog(engine_for(services.settings.db_url)).record(
        conversation, "rest", text, match.best_id, match.best_unit, match.best_score, at=at
    )


@pytest.fixture
async def knowledge(tmp_path: Path) -> AsyncIterator[Knowledge]:
    kb = kb_copy(tmp_path)
    settings = replace(make_settings(tmp_path), kb_dir=kb)
    services = ConsoleServices(settings, bcrypt_rounds=4)
    units = [unit.slug for unit in services.units]
    services.users.add("agen1", PASSWORD, "agent")
    services.users.add("spv", PASSWORD, "supervisor")
    services.users.add("pic-dtk", PASSWORD, "unit_pic", DTK, units=units)
    services.users.add(
        "pic-eikd", PASSWORD, "unit_pic", "evaluasi-informasi-keuangan-daerah", units=units
    )
    for number, text in enumerate(ASKED):
        ask(services, f"rest-{number}", text, NOW - timedelta(days=2, hours=2 - number))
    ask(services, "rest-9", OTHER_UNIT_ASKED, NOW - timedelta(days=2))
    guard = Guard(services, BASE)
    blueprint = Blueprint(f"knowledge_{tmp_path.name}"[:60].replace("-", "_"))
    guard.mount(blueprint)
    KnowledgeApi(services, guard, clock=lambda: NOW).mount(blueprint)
    app = Sanic(f"knowledge_test_{abs(hash(tmp_path)) % 10**8}")
    app.blueprint(blueprint, url_prefix=BASE)
    async with served(app) as base:
        running = Knowledge(f"{base}{BASE}", services, kb)
        yield running
        for client in running.clients:
            await client.close()


async def _version(client: Client, unit: str = DTK) -> str:
    status, data = await client.get(f"/api/knowledge/entries?unit={unit}")
    assert status == 200, data
    return data["versions"][unit]


async def test_an_agent_sees_nothing_and_edits_nothing(knowledge: Knowledge) -> None:
    agent = await knowledge.login("agen1")
    before = knowledge.text()
    for path in (
        "/api/knowledge",
        "/api/knowledge/groups",
        "/api/knowledge/entries",
        f"/api/knowledge/entries/{ENTRY}",
        "/api/knowledge/summary",
        "/api/knowledge/history",
    ):
        status, data = await agent.get(path)
        assert status == 403 and "PIC unit dan supervisor" in data["error"], path
    for path, body in (
        (f"/api/knowledge/entries/{ENTRY}/questions", {"questions": [ASKED[0]], "version": "x"}),
        (f"/api/knowledge/entries/{ENTRY}/reviewed", {"version": "x"}),
        (f"/api/knowledge/entries/{ENTRY}", {"fields": {"topic": "x"}, "version": "x"}),
        ("/api/knowledge/entries", {"unit": DTK, "fields": {"id": "baru"}, "version": "x"}),
        ("/api/knowledge/changes/1/revert", {}),
    ):
        status, data = await agent.post(path, body)
        assert status == 403, (path, data)
    assert knowledge.text() == before


async def test_a_pic_sees_its_own_units_groups_and_entries_only(knowledge: Knowledge) -> None:
    pic = await knowledge.login("pic-dtk")
    status, data = await pic.get("/api/knowledge")
    assert status == 200
    assert [u["slug"] for u in data["units"]] == [DTK]
    assert data["today"] == "2026-12-01"
    status, data = await pic.get("/api/knowledge/groups")
    assert status == 200
    groups = data["groups"]
    assert [g["unit"] for g in groups] == [DTK]  # the two phrasings are one group
    assert sorted(groups[0]["texts"]) == sorted(ASKED) and groups[0]["count"] == 2
    assert groups[0]["best_id"] == ENTRY
    status, data = await pic.get("/api/knowledge/groups?unit=evaluasi-informasi-keuangan-daerah")
    assert status == 403 and "unit Bapak/Ibu sendiri" in data["error"]
    status, data = await pic.get("/api/knowledge/entries")
    assert {e["unit"] for e in data["entries"]} == {DTK}
    assert set(data["versions"]) == {DTK}
    status, data = await pic.get("/api/knowledge/entries/shsr-perjalanan-dinas")
    assert status == 403


async def test_a_supervisor_sees_every_unit_and_filters_by_one(knowledge: Knowledge) -> None:
    spv = await knowledge.login("spv")
    status, data = await spv.get("/api/knowledge/groups")
    assert {g["unit"] for g in data["groups"]} == {DTK, "evaluasi-informasi-keuangan-daerah"}
    status, data = await spv.get("/api/knowledge/groups?unit=evaluasi-informasi-keuangan-daerah")
    assert [g["texts"] for g in data["groups"]] == [[OTHER_UNIT_ASKED]]
    status, data = await spv.get("/api/knowledge/entries")
    assert len({e["unit"] for e in data["entries"]}) >= 5


async def test_a_pic_cannot_edit_another_units_entry(knowledge: Knowledge) -> None:
    pic = await knowledge.login("pic-eikd")
    version = await _version(pic, "evaluasi-informasi-keuangan-daerah")
    before = knowledge.text()
    status, data = await pic.post(
        f"/api/knowledge/entries/{ENTRY}/questions", {"questions": [ASKED[0]], "version": version}
    )
    assert status == 403 and "unit Bapak/Ibu sendiri" in data["error"]
    status, data = await pic.post(
        "/api/knowledge/entries",
        {"unit": DTK, "version": version, "fields": {"id": "dak-sanitasi"}},
    )
    assert status == 403
    assert knowledge.text() == before


async def test_phrasings_of_a_group_added_to_an_entry_resolve_it(knowledge: Knowledge) -> None:
    pic = await knowledge.login("pic-dtk")
    group = (await pic.get("/api/knowledge/groups"))[1]["groups"][0]
    status, data = await pic.get(f"/api/knowledge/entries/{ENTRY}")
    assert status == 200 and data["history"] == []
    assert data["entry"]["file"] == FILE and data["entry"]["reviewed_on"] == "2026-11-28"
    body = {"questions": list(group["texts"]), "version": data["version"], "group_id": group["id"]}
    status, saved = await pic.post(f"/api/knowledge/entries/{ENTRY}/questions", body)
    assert status == 200, saved
    change = saved["change"]
    assert (change["author"], change["action"], change["group_id"]) == (
        "pic-dtk",
        "add_questions",
        group["id"],
    )
    assert saved["version"] != data["version"]
    assert all(f"+      - {text}" in change["diff"] for text in ASKED)
    assert (await pic.get("/api/knowledge/groups"))[1]["groups"] == []
    resolved = (await pic.get("/api/knowledge/groups?resolved=1"))[1]["groups"]
    assert [(g["id"], g["resolved_by"]) for g in resolved] == [(group["id"], change["id"])]
    status, data = await pic.get(f"/api/knowledge/entries/{ENTRY}")
    assert all(text in data["entry"]["questions"] for text in ASKED)
    assert [c["id"] for c in data["history"]] == [change["id"]]
    served = KnowledgeBase(knowledge.kb)  # what the bot serves on its next message
    assert served.match(ASKED[0]).answer.id == ENTRY


async def test_an_edit_on_an_old_version_gets_the_conflict(knowledge: Knowledge) -> None:
    first, second = await knowledge.login("pic-dtk"), await knowledge.login("spv")
    version = (await first.get(f"/api/knowledge/entries/{ENTRY}"))[1]["version"]
    assert (await second.get(f"/api/knowledge/entries/{ENTRY}"))[1]["version"] == version
    status, saved = await first.post(
        f"/api/knowledge/entries/{ENTRY}",
        {"fields": {"topic": "Juknis DAK Fisik"}, "version": version},
    )
    assert status == 200, saved
    after = knowledge.text()
    status, data = await second.post(
        f"/api/knowledge/entries/{ENTRY}",
        {"fields": {"topic": "Petunjuk teknis DAK"}, "version": version},
    )
    assert status == 409 and "sudah diubah orang lain" in data["error"]
    assert data["version"] == saved["version"]
    assert knowledge.text() == after and "Petunjuk teknis DAK\n" not in after


async def test_an_invalid_edit_is_refused_with_its_line_and_saves_nothing(
    knowledge: Knowledge,
) -> None:
    pic = await knowledge.login("pic-dtk")
    data = (await pic.get(f"/api/knowledge/entries/{ENTRY}"))[1]
    before = knowledge.text()
    questions = data["entry"]["questions"][:2]
    status, refused = await pic.post(
        f"/api/knowledge/entries/{ENTRY}",
        {"fields": {"questions": questions}, "version": data["version"]},
    )
    assert status == 422, refused
    [problem] = refused["problems"]
    line = next(n for n, t in enumerate(before.splitlines(), 1) if t.strip() == f"- id: {ENTRY}")
    assert problem.startswith(f"{FILE}:{line + 3}: ") and "2 questions (at least 3)" in problem
    assert before.splitlines()[line + 2].strip() == "questions:"
    assert knowledge.text() == before
    assert (await pic.get(f"/api/knowledge/entries/{ENTRY}"))[1]["history"] == []


async def test_mark_reviewed_sets_todays_date_and_revert_brings_the_file_back(
    knowledge: Knowledge,
) -> None:
    pic, other = await knowledge.login("pic-dtk"), await knowledge.login("pic-eikd")
    before = knowledge.text()
    version = await _version(pic)
    status, saved = await pic.post(f"/api/knowledge/entries/{ENTRY}/reviewed", {"version": version})
    assert status == 200, saved
    entry = (await pic.get(f"/api/knowledge/entries/{ENTRY}"))[1]["entry"]
    assert entry["reviewed_on"] == "2026-12-01" and entry["review_due"] is False
    change_id = saved["change"]["id"]
    status, data = await other.post(f"/api/knowledge/changes/{change_id}/revert", {})
    assert status == 403
    status, undone = await pic.post(f"/api/knowledge/changes/{change_id}/revert", {})
    assert status == 200, undone
    assert undone["change"]["reverts"] == change_id and undone["change"]["author"] == "pic-dtk"
    assert knowledge.text() == before
    history = (await pic.get("/api/knowledge/history"))[1]["changes"]
    assert [(c["action"], c["reverted_by"]) for c in history] == [
        ("revert", None),
        ("review", undone["change"]["id"]),
    ]
    status, _ = await pic.post("/api/knowledge/changes/9999/revert", {})
    assert status == 404


async def test_a_new_entry_from_a_group(knowledge: Knowledge) -> None:
    spv = await knowledge.login("spv")
    unit = "evaluasi-informasi-keuangan-daerah"
    group = (await spv.get(f"/api/knowledge/groups?unit={unit}"))[1]["groups"][0]
    fields = {
        "id": "uang-harian-perjalanan-dinas",
        "topic": "Uang harian perjalanan dinas di daerah",
        "questions": [
            OTHER_UNIT_ASKED,
            "besaran uang harian perjalanan dinas pemda",
            "uang harian sppd daerah acuannya apa",
        ],
        "answer": "Uang harian perjalanan dinas mengacu pada SHSR yang berlaku. Untuk kepastian "
        "besaran di daerah Bapak/Ibu, silakan hubungi callcenter.djpk@kemenkeu.go.id.",
        "references": ["Standar Harga Satuan Regional (SHSR) tahun anggaran berjalan"],
        "reviewed_on": "2026-12-01",
    }
    body = {
        "unit": unit,
        "fields": fields,
        "version": await _version(spv, unit),
        "group_id": group["id"],
    }
    status, saved = await spv.post("/api/knowledge/entries", body)
    assert status == 200, saved
    change = saved["change"]
    assert (change["action"], change["entry_id"]) == ("create", "uang-harian-perjalanan-dinas")
    assert "id: uang-harian-perjalanan-dinas" in knowledge.text(unit)
    assert (await spv.get(f"/api/knowledge/groups?unit={unit}"))[1]["groups"] == []


async def test_csrf_and_session_rules_hold(knowledge: Knowledge) -> None:
    pic = await knowledge.login("pic-dtk")
    version = await _version(pic)
    before = knowledge.text()
    body = {"version": version}
    status, data, _ = await pic.request(
        "POST", f"/api/knowledge/entries/{ENTRY}/reviewed", json=body, csrf=False
    )
    assert status == 403 and "CSRF" in data["error"]
    status, data, _ = await pic.request(
        "POST",
        f"/api/knowledge/entries/{ENTRY}/reviewed",
        json=body,
        headers={"Origin": "http://evil.example"},
    )
    assert status == 403
    anonymous = Client(knowledge.url)
    knowledge.clients.append(anonymous)
    assert (await anonymous.get("/api/knowledge/groups"))[0] == 401
    assert knowledge.text() == before


async def test_the_summary_says_mail_is_off_without_smtp(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "TLS"):
        monkeypatch.delenv(f"DJPK_SMTP_{name}", raising=False)
    pic = await knowledge.login("pic-dtk")
    data = (await pic.get("/api/knowledge"))[1]
    assert data["mail"]["configured"] is False and data["mail"]["detail"]
    status, data = await pic.get("/api/knowledge/summary?month=2026-11")
    assert status == 200
    [summary] = data["summaries"]
    assert (summary["unit"], summary["month"], summary["open_groups"]) == (DTK, "2026-11", 1)
    assert summary["top_topics"][0]["count"] == 2
    assert (await pic.get("/api/knowledge/summary?month=2026-13"))[0] == 400
    assert (await pic.get("/api/knowledge/summary"))[1]["month"] == "2026-11"


def test_the_knowledge_script_writes_text_only_and_is_served() -> None:
    script = (STATIC_DIR / "knowledge.js").read_text()
    assert not MARKUP_SINKS.search(script), MARKUP_SINKS.search(script)
    assert "createTextNode" in script and "textContent" in script
    assert {"knowledge.js", "knowledge.css"} <= set(STATIC_FILES)
    page = (STATIC_DIR / "index.html").read_text()
    assert '<script src="static/knowledge.js"></script>' in page


async def test_the_overview_says_mail_is_on_with_an_smtp_host(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJPK_SMTP_HOST", "127.0.0.1")
    spv = await knowledge.login("spv")
    data = (await spv.get("/api/knowledge"))[1]
    assert data["mail"] == {"configured": True, "detail": None}
    monkeypatch.setenv("DJPK_SMTP_TLS", "tanpa")  # a typo in the settings is said, not hidden
    data = (await spv.get("/api/knowledge"))[1]
    assert data["mail"]["configured"] is False and "DJPK_SMTP_TLS" in data["mail"]["detail"]
