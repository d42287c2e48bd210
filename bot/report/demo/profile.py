"""The seed report's counts (February 2023) and the months around it, as generator targets."""

from __future__ import annotations

from bot.tickets.taxonomy import VIDEO_CONFERENCE

VC = VIDEO_CONFERENCE
SEED = 20230228  # random seed: the same dataset on every run

# Tickets per channel and topic in the seed month. Rows add up to the seed's channel counts
# (WhatsApp 1.126, Email 162, Telepon 95, HAI 52, Live Chat 20 = 1.455); columns to its topic
# counts (Surat Masuk 201, Spam 151, Non-DJPK 66, Reservasi 42, Permintaan Data 38,
# Pengaduan 35, Lainnya 30, Video Conference 18; Konsultasi Teknis 874). Live Chat's leading
# technical subject is DBH, as the seed says.
MATRIX: dict[str, dict[str, int]] = {
    "whatsapp": {
        "DAU": 212,
        "DBH": 158,
        "DAK Fisik": 73,
        "DAK Non Fisik": 59,
        "Dana Desa": 64,
        "PDRD": 41,
        "JF AKPD": 35,
        "SHSR": 25,
        "Pembiayaan": 15,
        "APBD": 20,
        "Surat Masuk": 100,
        "Spam": 150,
        "Non-DJPK": 54,
        "Reservasi": 34,
        "Permintaan Data": 18,
        "Pengaduan": 29,
        "Lainnya": 21,
        VC: 18,
    },
    "email": {
        "DAU": 14,
        "DBH": 12,
        "DAK Fisik": 6,
        "DAK Non Fisik": 4,
        "Dana Desa": 3,
        "PDRD": 4,
        "Pembiayaan": 2,
        "APBD": 2,
        "Surat Masuk": 96,
        "Permintaan Data": 10,
        "Pengaduan": 4,
        "Reservasi": 3,
        "Lainnya": 2,
    },
    "telepon": {
        "DAU": 24,
        "DBH": 16,
        "Dana Desa": 12,
        "DAK Fisik": 8,
        "DAK Non Fisik": 5,
        "PDRD": 5,
        "JF AKPD": 3,
        "SHSR": 2,
        "Pembiayaan": 2,
        "APBD": 3,
        "Reservasi": 5,
        "Non-DJPK": 6,
        "Lainnya": 2,
        "Permintaan Data": 2,
    },
    "hai": {
        "DAU": 9,
        "DBH": 7,
        "DAK Fisik": 5,
        "DAK Non Fisik": 3,
        "Dana Desa": 4,
        "PDRD": 3,
        "APBD": 2,
        "Permintaan Data": 6,
        "Non-DJPK": 5,
        "Surat Masuk": 3,
        "Lainnya": 3,
        "Pengaduan": 2,
    },
    "livechat": {
        "DBH": 5,
        "DAU": 3,
        "Dana Desa": 2,
        "PDRD": 1,
        "APBD": 1,
        "Surat Masuk": 2,
        "Permintaan Data": 2,
        "Lainnya": 2,
        "Non-DJPK": 1,
        "Spam": 1,
    },
}

# Tickets per channel for the 13 months ending at the seed month (offset 0). January 2023 has
# 1.218 (WhatsApp 1.007: "meningkat sebesar 11,8%"); February 2022 has 655, the integer that
# comes closest to "meningkat 122%" (1.455/655 = +122,14%; 656 would give +121,80%).
MONTHS: dict[int, dict[str, int]] = {
    0: {"whatsapp": 1126, "email": 162, "telepon": 95, "hai": 52, "livechat": 20},
    -1: {"whatsapp": 1007, "email": 120, "telepon": 52, "hai": 27, "livechat": 12},
    -2: {"whatsapp": 870, "email": 150, "telepon": 80, "hai": 45, "livechat": 15},
    -3: {"whatsapp": 905, "email": 148, "telepon": 88, "hai": 50, "livechat": 18},
    -4: {"whatsapp": 860, "email": 140, "telepon": 84, "hai": 41, "livechat": 14},
    -5: {"whatsapp": 820, "email": 131, "telepon": 79, "hai": 38, "livechat": 11},
    -6: {"whatsapp": 760, "email": 125, "telepon": 74, "hai": 36, "livechat": 9},
    -7: {"whatsapp": 700, "email": 120, "telepon": 70, "hai": 35, "livechat": 7},
    -8: {"whatsapp": 640, "email": 115, "telepon": 66, "hai": 33, "livechat": 5},
    -9: {"whatsapp": 575, "email": 108, "telepon": 60, "hai": 30, "livechat": 2},
    -10: {"whatsapp": 540, "email": 104, "telepon": 58, "hai": 28, "livechat": 0},
    -11: {"whatsapp": 512, "email": 101, "telepon": 55, "hai": 27, "livechat": 0},
    -12: {"whatsapp": 480, "email": 98, "telepon": 52, "hai": 25, "livechat": 0},
}

# Pengguna Layanan: 1.217 / 93 / 33 / 112 (= 1.455).
CATEGORIES = {"Pemda": 1217, "Kementerian/Lembaga": 93, "Akademisi": 33, "Lainnya": 112}

# Rincian Tiket Pemda: 1.398 identified (1.214 inside hours, 184 outside = 114/53/17), 57 not.
IN_HOURS = {"WIB": 820, "WITA": 290, "WIT": 104}
OUT_OF_HOURS = {"WIB": 114, "WITA": 53, "WIT": 17}
UNIDENTIFIED = 57
# Topic groups of the 184 out-of-hours tickets: Konsultasi Teknis, Spam, Surat Masuk and
# Permintaan Data lead, as the seed lists them.
NIGHT_TOPICS = {
    "Konsultasi Teknis": 90,
    "Spam": 38,
    "Surat Masuk": 24,
    "Permintaan Data": 12,
    "Lainnya": 10,
    "Non-DJPK": 8,
    "Reservasi": 2,
}
ESCALATED_OUT_OF_HOURS = 19
ESCALATED_IN_HOURS = 38

AGENTS = ("Nuryani", "Anas", "Linna", "Dian")
RATED_SHARE = 0.3  # of resolved WhatsApp/Live Chat/HAI tickets, all rated 5 on both scales
# An agent below the rule: 6 ratings from only 4 different users (never shown).
EXTRA_AGENT = "Rahmat"
EXTRA_USERS = (0, 0, 1, 1, 2, 3)
EXTRA_SCORES = ((3, 4), (4, 3), (3, 3), (4, 4), (3, 4), (4, 3))

# Assistant: the share of FAQ-topic contacts on WhatsApp and Live Chat it closes alone (spam and
# other institutions' questions always are), the share of labelled conversations with an unanswered
# question, letters checked per month.
FAQ_ALONE_SHARE = 0.5
MISS_SHARE = 0.11
VERIFICATIONS = {
    "genuine": 58,
    "known_hoax": 31,
    "not_found": 17,
    "mismatch": 8,
    "near_match": 6,
    "revoked": 2,
}
FAKE_REPORTS = (
    ("UND-12/PK/2023", "known_hoax", 27),
    ("S-145/PK/2023", "not_found", 6),
    ("UND-107/PK/2019", "known_hoax", 3),
    ("S-77/PK.2/2023", "mismatch", 2),
    (None, "known_hoax", 4),
)


def month_factor(offset: int) -> float:
    """A month's volume relative to the seed month."""
    return sum(channels(offset).values()) / sum(MONTHS[0].values())


def channels(offset: int) -> dict[str, int]:
    """Tickets per channel `offset` months from the seed month (older months as the oldest)."""
    return MONTHS.get(offset, MONTHS[min(MONTHS)])
