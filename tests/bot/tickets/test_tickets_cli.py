"""`python -m bot.tickets list --json` and `show`, run as a subprocess against a temp SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.tickets.records import NewMessage, NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, Sender, Topic

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
CONTRACT = {
    "number",
    "status",
    "channel",
    "topic",
    "zone",
    "in_service_hours",
    "pemda",
    "category",
    "csat_service",
    "csat_answer",
    "created_at",
    "updated_at",
    "resolved_at",
}


def run(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJPK_DB_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "bot.tickets", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_list_json_newest_first_with_the_contract_fields(url: str) -> None:
    store = SqlTicketStore.from_url(url)
    old = store.create_for_conversation(NewTicket("a", Channel.WHATSAPP, Topic.DAU), NOW)[0]
    store.set_csat(old.id, NOW, service=5, answer=4)
    store.create_for_conversation(
        NewTicket("b", Channel.LIVECHAT, Topic.DBH, in_service_hours=False),
        NOW + timedelta(minutes=1),
    )
    result = run(url, "list", "--json")
    assert result.returncode == 0, result.stderr
    tickets = json.loads(result.stdout)
    assert [t["number"] for t in tickets] == ["DJPK-20261130-0002", "DJPK-20261130-0001"]
    assert set(tickets[0]) >= CONTRACT
    assert tickets[0]["in_service_hours"] is False and tickets[0]["topic"] == "DBH"
    assert (tickets[1]["csat_service"], tickets[1]["csat_answer"]) == (5, 4)
    filtered = json.loads(run(url, "list", "--json", "--channel", "whatsapp").stdout)
    assert [t["number"] for t in filtered] == ["DJPK-20261130-0001"]


def test_list_on_an_empty_database(url: str) -> None:
    result = run(url, "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_show(url: str) -> None:
    store = SqlTicketStore.from_url(url)
    line = NewMessage(Sender.USER, "mau bicara dengan petugas", NOW)
    store.create_for_conversation(NewTicket("a", Channel.REST, transcript=[line]), NOW)
    shown = run(url, "show", "DJPK-20261130-0001", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["messages"][0]["text"] == "mau bicara dengan petugas"
    assert data["events"][0]["kind"] == "created"
    text = run(url, "show", "DJPK-20261130-0001")
    assert "mau bicara dengan petugas" in text.stdout
    missing = run(url, "show", "DJPK-20261130-0099")
    assert missing.returncode == 1 and "DJPK-20261130-0099" in missing.stderr
