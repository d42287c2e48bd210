"""The demo dataset of February 2023 reproduces the seed report's figures and shares.

Where the seed's own arithmetic disagrees with its counts, the report prints what the data gives;
SEED_DIFFERENCES below lists each case (figure, what the seed says, what the report prints, why)
and `test_seed_differences` checks that the report prints the data's value.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from bot.report.formatting import number
from bot.report.period import Month
from bot.tickets.tables import TicketRow

SHARES = {
    "whatsapp": (1126, "77,39%"),
    "email": (162, "11,13%"),
    "telepon": (95, "6,53%"),
    "hai": (52, "3,57%"),
    "livechat": (20, "1,37%"),
    "lainnya": (0, "0,00%"),
}
# (figure, the seed says, the report prints, why) - the report text must contain the third value.
SEED_DIFFERENCES = (
    (
        "escalations among the 184 out-of-hours tickets",
        "19 tiket atau 9,54%",
        "**19** tiket atau **10,33%**",
        "19/184 = 10,326%; the seed's 9,54% would be 19/199",
    ),
    (
        "the same escalations among all tickets",
        "1,3%",
        "(**1,31%** dari total tiket keseluruhan)",
        "19/1.455 = 1,306%: the same value, printed with two decimals",
    ),
    (
        "telephone share (Dering DJPK page)",
        "6,52% pengguna (95 konsultasi)",
        "**6,53% pengguna (95 konsultasi)**",
        "95/1.455 = 6,529%; the seed's own channel chart says 6,53%",
    ),
    (
        "HAI Kemenkeu share (HAI page)",
        "3,5% (52 pengguna)",
        "**3,57%** (52 pengguna)",
        "52/1.455 = 3,574%; the seed's chart says 3,57%",
    ),
    ("users 'Lainnya'", "7,7%", "| 112 | 7,70% |", "format only: two decimals everywhere"),
    (
        "WhatsApp against January",
        "meningkat sebesar 11,8%",
        "**meningkat sebesar 11,82%**",
        "January WhatsApp = 1.007, the closest integer (1.008 would give 11,71%)",
    ),
    (
        "tickets against February 2022",
        "meningkat 122%",
        "**meningkat 122,14%**",
        "February 2022 = 655, the closest integer (656 gives 121,80%); read as '122% of', "
        "February 2022 would have been 1.193",
    ),
    (
        "tickets by channel",
        "1.126 + 162 + 95 + 52 + 20",
        "| Total | 1.455 | 100,00% |",
        "no difference: the channels add up to the seed's 1.455",
    ),
    (
        "users by category",
        "1.217 + 93 + 33 + 112",
        "| 1.217 | 83,64% |",
        "no difference: the categories add up to 1.455 as well",
    ),
    ("ticket total on the summary page", "1455", "- **1.455** Tiket Konsultasi", "separator"),
    (
        "tatap muka no. 4",
        "28 Februari 2022",
        "28 Februari 2023 | Kab. Pangkajene dan Kepulauan",
        "a typo in the seed: the meeting is in the February 2023 report",
    ),
    (
        "video conference list order",
        "6, 6, 2, 7 ... Februari",
        "| 1 | 2 Februari 2023 | Kota Manado | Pembiayaan | diajukan |",
        "the report sorts meetings by date",
    ),
    (
        "fake Bimtek JF AKPD letter",
        "diterima oleh 25 pemda dan 2 universitas",
        "(dilaporkan oleh 25 pemda dan 2 akademisi; 33 tiket)",
        "counted from the Pengaduan tickets by user category",
    ),
    ("CSAT average", "5.0", "- **5,0** Rata-rata nilai kepuasan", "decimal comma"),
)
USERS = {
    "Pemda": (1217, "83,64%"),
    "Kementerian/Lembaga": (93, "6,39%"),
    "Akademisi": (33, "2,27%"),
    "Lainnya": (112, "7,70%"),
}
OTHER_TOPICS = {
    "Surat Masuk": 201,
    "Spam": 151,
    "Non-DJPK": 66,
    "Reservasi": 42,
    "Permintaan Data": 38,
    "Pengaduan": 35,
    "Lainnya": 30,
    "Video Conference": 18,
}


def test_tickets_by_channel_with_shares(seed_report) -> None:
    volume = seed_report.summary["volume"]
    assert volume["total"] == 1455
    found = {c["key"]: (c["count"], c["share_text"]) for c in volume["channels"]}
    assert found == SHARES
    assert volume["channels"][0]["share"] == 77.39
    md = seed_report.markdown
    assert "Total **1.455** tiket konsultasi pada Februari 2023." in md
    for line in (
        "| WhatsApp | 1.126 | 77,39% |",
        "| Email | 162 | 11,13% |",
        "| Telepon | 95 | 6,53% |",
        "| HAI Kemenkeu | 52 | 3,57% |",
        "| Live Chat | 20 | 1,37% |",
    ):
        assert line in md


def test_growth_against_january_and_a_year_earlier(seed_report) -> None:
    volume = seed_report.summary["volume"]
    assert (volume["previous_month"], volume["previous_total"]) == ("2023-01", 1218)
    assert (volume["year_ago_month"], volume["year_ago_total"]) == ("2022-02", 655)
    assert volume["previous_change_text"] == "19,46%"
    assert volume["year_ago_change_text"] == "122,14%"
    whatsapp = volume["channels"][0]
    assert (whatsapp["previous"], whatsapp["previous_change_text"]) == (1007, "11,82%")
    md = seed_report.markdown
    assert "**meningkat 19,46%** dibandingkan bulan Januari 2023 (1.218 konsultasi)" in md
    assert "**bulan Februari 2022** (655 konsultasi), jumlah konsultasi **meningkat 122,14%**" in md
    assert "**meningkat sebesar 11,82%** dibandingkan bulan sebelumnya" in md
    months = [t["month"] for t in volume["trend"]]
    assert months == ["2022-09", "2022-10", "2022-11", "2022-12", "2023-01", "2023-02"]
    assert volume["trend"][-1]["by_channel"]["whatsapp"] == 1126


def test_topics(seed_report) -> None:
    topics = seed_report.summary["topics"]
    assert {t["topic"]: t["count"] for t in topics["other"]} == OTHER_TOPICS
    assert [t["topic"] for t in topics["other"]] == list(OTHER_TOPICS)
    assert topics["technical_total"] == 1455 - sum(OTHER_TOPICS.values()) == 874
    assert topics["technical"][0]["topic"] == "DAU"
    assert topics["by_channel"]["livechat"][0]["topic"] == "DBH"
    assert topics["leading"]["email"] == "Surat Masuk"
    night = [t["topic"] for t in topics["out_of_hours"][:4]]
    assert night == ["Konsultasi Teknis", "Spam", "Surat Masuk", "Permintaan Data"]
    assert "| Video Conference | 18 |" in seed_report.markdown
    assert "topik teknis terbanyak melalui Live Chat adalah **Dana Bagi Hasil (DBH)**" in (
        seed_report.markdown
    )


def test_users_by_category(seed_report) -> None:
    users = {u["category"]: (u["count"], u["share_text"]) for u in seed_report.summary["users"]}
    assert users == USERS
    for line in ("| 1.217 | 83,64% |", "| 93 | 6,39% |", "| 33 | 2,27% |", "| 112 | 7,70% |"):
        assert line in seed_report.markdown


def test_top_pemda_with_main_topics(seed_report) -> None:
    top = [(p["pemda"], p["count"], p["topics"]) for p in seed_report.summary["top_pemda"]]
    assert top == [
        ("Kab. Brebes", 17, ["DBH", "DAU", "JF AKPD", "Pengaduan", "Surat Masuk"]),
        ("Kab. Sumbawa", 12, ["JF AKPD", "DBH", "Dana Desa"]),
        ("Kab. Lembata", 11, ["Dana Desa", "DAU", "Surat Masuk"]),
    ]
    assert (
        "**Kab. Brebes** sebanyak 17 kali dengan topik konsultasi terbanyak terkait DBH, DAU, "
        "JF AKPD, Pengaduan, dan Surat Masuk." in seed_report.markdown
    )


def test_service_hours_by_region_and_escalations(seed_report) -> None:
    hours = seed_report.summary["hours"]
    assert (hours["identified"], hours["unidentified"]) == (1398, 57)
    assert (hours["in_hours"], hours["out_of_hours"]) == (1214, 184)
    regions = [
        (r["region"], r["out_of_hours"], r["out_of_hours_share_text"]) for r in hours["regions"]
    ]
    assert regions == [("Barat", 114, "61,96%"), ("Tengah", 53, "28,80%"), ("Timur", 17, "9,24%")]
    assert hours["out_of_hours_escalated"] == 19
    md = seed_report.markdown
    for text in (
        "sebanyak **1.398** tiket dapat diidentifikasi asal zona waktu",
        "**57** tiket sisanya tidak dapat diidentifikasi",
        "**1.214** pengguna layanan yang menghubungi DJPK di dalam jam layanan",
        "**184** sisanya menghubungi DJPK di luar jam layanan",
        "**114 (61,96%)** pengguna layanan berasal dari bagian **Barat**",
        "**53 (28,80%)** pengguna layanan berasal dari bagian **Tengah**",
        "**17 (9,24%)** pengguna layanan berasal dari bagian **Timur**",
        "terdapat **19** tiket atau",
    ):
        assert text in md


def test_complaints_and_meetings(seed_report) -> None:
    s = seed_report.summary
    assert s["complaint_tickets"] == 35
    assert [c["tickets"] for c in s["complaints"]] == [33, 1, 1]
    fake = s["complaints"][0]
    assert (fake["pemda"], fake["akademisi"]) == (25, 2)
    assert [c["place"] for c in s["complaints"][1:]] == [
        "Kota Bandar Lampung",
        "Kab. Musi Banyuasin",
    ]
    assert [c["place"] for c in s["policy_complaints"]] == ["Kab. Kepulauan Mentawai"]
    assert "- **35** Pengaduan\n- **1** Keluhan Kebijakan" in seed_report.markdown
    videos = [(v["day"], v["place"], v["subject"]) for v in s["video_conferences"]]
    assert len(videos) == 9 and s["video_conference_subject"] == "DAU"
    assert videos[0] == ("2023-02-02", "Kota Manado", "Pembiayaan")
    assert ("2023-02-22", "Kab. TTU", "DAU") in videos
    visits = [(v["day"], v["place"]) for v in s["face_to_face"]]
    assert len(visits) == 5 and ("2023-02-09", "DPRD Prov. Jawa Timur") in visits
    assert "| 1 | 2 Februari 2023 | Kota Manado | Pembiayaan | diajukan |" in seed_report.markdown


def test_csat_shows_only_agents_meeting_the_rule(seed_report) -> None:
    csat = seed_report.summary["satisfaction"]
    assert sorted(a["agent"] for a in csat["agents"]) == ["Anas", "Dian", "Linna", "Nuryani"]
    assert all(a["ratings"] >= 5 and a["users"] >= 5 for a in csat["agents"])
    assert (csat["hidden_agents"], csat["hidden_ratings"]) == (1, 6)
    assert csat["overall"] == csat["service"] == csat["answer"] == 5.0
    assert "- **5,0** Rata-rata nilai kepuasan Februari 2023" in seed_report.markdown
    assert "Rahmat" not in seed_report.markdown and "Rahmat" not in seed_report.html


def test_the_seed_month_is_bot_only_conversations_plus_tickets(seed_report) -> None:
    """The 1.455 contacts of the seed are reproduced by tickets and conversations the assistant
    closed alone; each bot-only conversation is counted once, on its channel and topic."""
    s = seed_report.summary
    engine = create_engine(seed_report.url)
    with engine.connect() as connection:
        feb = select(func.count()).where(
            TicketRow.created_at >= Month(2023, 2).start, TicketRow.created_at < Month(2023, 2).end
        )
        tickets = connection.execute(feb).scalar_one()
        spam_tickets = connection.execute(feb.where(TicketRow.topic == "Spam")).scalar_one()
    engine.dispose()
    alone = s["volume"]["bot_only"]
    assert alone == s["assistant"]["bot_only"] > 0
    assert tickets + alone == s["volume"]["total"] == 1455
    assert spam_tickets < OTHER_TOPICS["Spam"]  # WhatsApp and Live Chat spam closed by the bot
    md = seed_report.markdown
    assert f"Sebanyak **{number(alone)}** di antaranya diselesaikan asisten tanpa petugas" in md
    assert f"**{number(tickets)}** ditangani petugas." in md


def test_assistant_figures(seed_report) -> None:
    a = seed_report.summary["assistant"]
    assert a["conversations"] > a["bot_only"] > 0
    assert 20 < a["bot_only_share"] < 60 and 80 < a["faq_hit_share"] < 95
    assert a["unanswered"][0]["unit"] == "dana-transfer-umum"
    assert a["verifications"]["known_hoax"] == 31 and a["verifications_total"] == 122
    assert a["fake_numbers"][0] == {"text": "UND-12/PK/2023", "count": 27}


@pytest.mark.parametrize(
    ("figure", "seed", "printed", "why"), SEED_DIFFERENCES, ids=[d[0] for d in SEED_DIFFERENCES]
)
def test_seed_differences(seed_report, figure: str, seed: str, printed: str, why: str) -> None:
    assert printed in seed_report.markdown, f"{figure}: expected {printed!r} ({why})"


def test_seed_differences_in_summary(seed_report) -> None:
    s = seed_report.summary
    assert s["hours"]["out_of_hours_escalated_share_text"] == "10,33%"
    assert s["hours"]["out_of_hours_escalated_share_of_total_text"] == "1,31%"
    assert "sebanyak **6,53% pengguna (95 konsultasi)**" in seed_report.markdown
    assert "sebanyak **3,57%** (52 pengguna)" in seed_report.markdown
    assert "| 5 | 28 Februari 2023 | Kab. Pangkajene dan Kepulauan | DAU |" in seed_report.markdown
    assert "dilaporkan oleh 25 pemda dan 2 akademisi; 33 tiket" in seed_report.markdown


def test_every_table_has_a_csv(seed_report) -> None:
    tables = {p.stem for p in (seed_report.folder / "tables").glob("*.csv")}
    assert {
        "tiket_per_kanal",
        "pengguna_layanan",
        "jam_layanan_per_wilayah",
        "kepuasan_agen",
    } <= tables
    lines = (seed_report.folder / "tables" / "tiket_per_kanal.csv").read_text().splitlines()
    assert lines[1] == "WhatsApp,1126,77.39"
    assert "data:image/png;base64," in seed_report.html and "<script" not in seed_report.html
