"""import-csv: documented layout, file:line errors, idempotent re-import, counted in the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import engine_for
from bot.report.cli import main
from bot.report.figures.summary import build
from bot.report.period import Month
from bot.settings import ROOT
from bot.tickets.imports.importer import ImportFailed, import_file
from bot.tickets.imports.tables import ReportImportRow
from bot.tickets.tables import TicketRow

KB = ROOT / "knowledge_base"
GOOD = "".join(
    f"{line}\n"
    for line in (
        "external_id,channel,created_at,topic,summary,user_id,user_name,instansi,pemda,category,"
        "zone,status,assigned_agent,csat_service,csat_answer",
        "TEL-2023-0001,telepon,2023-02-06 09:15,DAU,Penyaluran DAU tahap I,081200000001,Budi,"
        "BPKAD Kab. Brebes,Kab. Brebes,,,resolved,Anas,5,4",
        'EML-2023-0001,E-mail,2023-02-07 20:10,Surat Masuk,"Penyampaian surat, mohon konfirmasi",'
        "bkad@ksb.go.id,,BKAD Kab. Sumbawa,,,,,Linna,,",
        "HAI-2023-0001,HAI Kemenkeu,06/02/2023 10:00,Video Conference,Permohonan vicon,,,"
        "Universitas Indonesia,,,,,,,",
    )
)
BAD = """\
external_id;channel;created_at;topic;csat_service;status
A1;telepon;2023-02-06 09:15;DAU;5;resolved
A2;whatsapp;2023-02-06 09:15;DAU;;
A3;email;2023-13-06 09:15;DAU;;
A4;email;2023-02-06 09:15;Bukan Topik;9;
A1;hai;2023-02-06 09:15;DBH;;
A6;hai;2023-02-06 09:15;DBH;;escalated
"""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(url: str, table) -> int:
    with engine_for(url).connect() as connection:
        return connection.execute(select(func.count()).select_from(table.__table__)).scalar()


def test_good_file_is_imported_once(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    path = _file(tmp_path, "februari.csv", GOOD)
    first = import_file(path, url, KB)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = import_file(path, url, KB)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _count(url, TicketRow) == _count(url, ReportImportRow) == 3
    with engine_for(url).connect() as connection:
        rows = connection.execute(
            select(
                TicketRow.channel,
                TicketRow.pemda,
                TicketRow.zone,
                TicketRow.category,
                TicketRow.in_service_hours,
                TicketRow.topic,
                TicketRow.conversation_id,
            ).order_by(TicketRow.id)
        ).all()
    assert rows == [
        ("telepon", "Kab. Brebes", "WIB", "Pemda", True, "DAU", "telepon:081200000001"),
        ("email", "Kab. Sumbawa", "WITA", "Pemda", False, "Surat Masuk", "email:bkad@ksb.go.id"),
        ("hai", None, None, "Akademisi", True, "Reservasi", "import:HAI-2023-0001"),
    ]
    summary = build(engine_for(url), Month(2023, 2), KB)
    channels = {c.key: c.count for c in summary.volume.channels}
    assert (channels["telepon"], channels["email"], channels["hai"]) == (1, 1, 1)
    assert {t.topic: t.count for t in summary.topics.other}["Video Conference"] == 1
    assert summary.hours.out_of_hours == 1  # the e-mail came at 20.10 WIB


def test_a_changed_row_updates_its_ticket(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    import_file(_file(tmp_path, "a.csv", GOOD), url, KB)
    changed = GOOD.replace("Penyaluran DAU tahap I", "Penyaluran DAU tahap II")
    result = import_file(_file(tmp_path, "b.csv", changed), url, KB)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    with engine_for(url).connect() as connection:
        summaries = connection.execute(select(TicketRow.summary)).scalars().all()
    assert "Penyaluran DAU tahap II" in summaries and len(summaries) == 3


def test_bad_lines_are_named_by_file_and_line_and_nothing_is_written(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    path = _file(tmp_path, "salah.csv", BAD)
    with pytest.raises(ImportFailed) as failure:
        import_file(path, url, KB)
    messages = failure.value.messages
    assert [m.split(": ")[0] for m in messages] == [f"{path}:{n}" for n in (3, 4, 5, 6, 7)]
    assert "whatsapp" in messages[0] and "dicatat langsung oleh bot" in messages[0]
    assert "created_at" in messages[1] and "topic: 'Bukan Topik'" in messages[2]
    assert "sudah ada di baris 2" in messages[3] and "escalation_unit" in messages[4]
    assert _count(url, TicketRow) == 0


def test_header_problems(tmp_path) -> None:
    path = _file(tmp_path, "judul.csv", "external_id,channel,kolom_aneh\nX,telepon,1\n")
    with pytest.raises(ImportFailed) as failure:
        import_file(path, f"sqlite:///{tmp_path / 'x.db'}", KB)
    text = "\n".join(failure.value.messages)
    assert f"{path}:1: kolom wajib 'created_at' tidak ada" in text
    assert f"{path}:1: kolom 'kolom_aneh' tidak dikenal" in text


def test_cli_exit_codes(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    good, bad = _file(tmp_path, "ok.csv", GOOD), _file(tmp_path, "bad.csv", BAD)
    assert main(["import-csv", str(good), "--db-url", url]) == 0
    assert "3 tiket baru" in capsys.readouterr().out
    assert main(["import-csv", str(bad), "--db-url", url]) == 1
    assert f"{bad}:3: channel" in capsys.readouterr().err
    out = tmp_path / "laporan"
    assert main(["--month", "2023-02", "--out", str(out), "--db-url", url]) == 0
    assert (out / "report.html").is_file() and (out / "summary.json").is_file()
    assert main(["--month", "2023-2", "--out", str(out), "--db-url", url]) == 2


def test_a_deleted_ticket_is_imported_again(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'import.db'}"
    path = _file(tmp_path, "februari.csv", GOOD)
    import_file(path, url, KB)
    with engine_for(url).begin() as connection:
        connection.execute(TicketRow.__table__.delete().where(TicketRow.channel == "telepon"))
    result = import_file(path, url, KB)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 2)
    assert _count(url, TicketRow) == _count(url, ReportImportRow) == 3


def test_imported_meetings_and_policy_complaints_reach_the_report(tmp_path) -> None:
    """The context keys import-csv writes are the ones the report's listings read."""
    url = f"sqlite:///{tmp_path / 'import.db'}"
    text = (
        "external_id,channel,created_at,topic,summary,instansi,reservasi,jadwal,"
        "topik_reservasi,keluhan\n"
        "TEL-2023-0101,telepon,2023-02-01 09:00,Reservasi,Minta vicon,BPKAD Kab. Brebes,"
        "video_conference,2023-02-20,DBH & DAU,\n"
        "EML-2023-0101,email,2023-02-02 09:00,DAU,Formula DAU tidak adil,BPKAD Kab. Brebes,"
        ",,,kebijakan\n"
    )
    import_file(_file(tmp_path, "konteks.csv", text), url, KB)
    summary = build(engine_for(url), Month(2023, 2), KB)
    assert [(m.day.isoformat(), m.subject) for m in summary.video_conferences] == [
        ("2023-02-20", "DBH & DAU")
    ]
    assert [c.text for c in summary.policy_complaints] == ["Formula DAU tidak adil"]
