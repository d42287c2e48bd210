"""Fixed vocabularies of a ticket: status, user category, channel, topic, event kind, sender."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class Status(str, Enum):
    """Where a ticket is in its life."""

    OPEN = "open"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def active(self) -> bool:
        """Open, assigned or escalated: someone still has to act."""
        return self not in (Status.RESOLVED, Status.CLOSED)


class Category(str, Enum):
    """User categories of the contact center's monthly report."""

    PEMDA = "Pemda"
    KL = "Kementerian/Lembaga"
    AKADEMISI = "Akademisi"
    LAINNYA = "Lainnya"


class Channel(str, Enum):
    """Where the conversation came from."""

    WHATSAPP = "whatsapp"
    LIVECHAT = "livechat"
    REST = "rest"
    EMAIL = "email"
    TELEPON = "telepon"
    HAI = "hai"
    LAINNYA = "lainnya"

    @classmethod
    def from_rasa(cls, input_channel: str | None) -> Channel:
        """Map a Rasa input channel name ('socketio', 'rest', 'whatsapp', ...) to a channel."""
        name = (input_channel or "").lower()
        aliases = {"socketio": cls.LIVECHAT, "webchat": cls.LIVECHAT, "console": cls.LIVECHAT}
        if name in aliases:
            return aliases[name]
        return next((channel for channel in cls if channel.value == name), cls.LAINNYA)


class Topic(str, Enum):
    """The contact center's topic taxonomy (seed report, February 2023)."""

    DAU = "DAU"
    DBH = "DBH"
    DAK_FISIK = "DAK Fisik"
    DAK_NON_FISIK = "DAK Non Fisik"
    DANA_DESA = "Dana Desa"
    PDRD = "PDRD"
    SHSR = "SHSR"
    JF_AKPD = "JF AKPD"
    PEMBIAYAAN = "Pembiayaan"
    APBD = "APBD"
    SURAT_MASUK = "Surat Masuk"
    PERMINTAAN_DATA = "Permintaan Data"
    RESERVASI = "Reservasi"
    PENGADUAN = "Pengaduan"
    NON_DJPK = "Non-DJPK"
    SPAM = "Spam"
    LAINNYA = "Lainnya"


# The seed report also counts "Video Conference" (18) beside the 17 topics. It is not a topic of
# its own here: asking for a video conference is a Reservasi, flagged in the ticket's context
# ({"reservasi": "video_conference"}), and report_topic() names it back for the monthly report.
VIDEO_CONFERENCE = "Video Conference"


# Keys of a ticket's `context`: the bot, the console and import-csv write them, the report reads
# them. Every writer and reader names them through these constants.
RESERVATION = "reservasi"  # VIDEO | FACE_TO_FACE
VIDEO = "video_conference"
FACE_TO_FACE = "tatap_muka"
SCHEDULE = "jadwal"  # the date the user asked for, YYYY-MM-DD
SUBJECT = "topik"  # what the meeting is about, free text ("DBH & DAU")
COMPLAINT = "keluhan"  # POLICY marks a Keluhan Kebijakan
POLICY = "kebijakan"
KIND = "jenis"  # what the bot filed: COMPLAINT_KIND or POLICY_COMPLAINT_KIND
COMPLAINT_KIND = "pengaduan"
POLICY_COMPLAINT_KIND = "keluhan_kebijakan"
LETTER = "surat"  # the letter whose status is asked, free text
FAQ_LAST_ID = "faq_last_id"  # the FAQ entry the bot answered last before the hand-off
LAST_VERIFICATION = "last_verification"  # the bot's last letter check before the hand-off
LETTER_REPORT = "letter_report"  # a reported fake letter: the check the user reported
ATTENDEES = "attendees_count"  # how many guests the user announced (the reservation form's slot)
LETTER_SENT = "letter_sent"  # True when the user says the request letter is sent (a visit)
# The request letter an agent saw arrive outside the chat (SE-1/PK.1/2023 "letter first"):
LETTER_VIA = "surat_diterima_via"  # one of LETTER_WAYS; LETTER_SENT is then True
LETTER_RECORDED_BY = "surat_dicatat_oleh"  # the agent who recorded it
LETTER_RECORDED_AT = "surat_dicatat_pada"  # when, ISO 8601 UTC
LETTER_WAYS = {"pos": "pos", "email": "e-mail", "lainnya": "cara lain"}
# What an agent agreed in the console (TicketService.confirm/reschedule/decline_reservation).
BOOKING = "status_reservasi"  # CONFIRMED | RESCHEDULED | DECLINED
CONFIRMED, RESCHEDULED, DECLINED = "dikonfirmasi", "dijadwalkan_ulang", "ditolak"
AGREED_DATE = "jadwal_disepakati"  # YYYY-MM-DD; the report uses it before SCHEDULE
AGREED_TIME = "jam_disepakati"  # HH:MM, WIB
AGREED_MODE = "mode_disepakati"  # VIDEO | FACE_TO_FACE
MEETING_LINK = "tautan_rapat"  # for a video conference
ROOM = "ruang"  # for a visit
BOOKING_REASON = "alasan_reservasi"  # why it was rescheduled or declined


def report_topic(topic: Topic, context: Mapping[str, object] | None = None) -> str:
    """Topic as the monthly report names it: a Reservasi for a video conference counts as one."""
    if topic is Topic.RESERVASI and (context or {}).get(RESERVATION) == VIDEO:
        return VIDEO_CONFERENCE
    return topic.value


class EventKind(str, Enum):
    """Kinds of entries in a ticket's history."""

    CREATED = "created"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    NOTE = "note"
    CSAT = "csat"
    RESERVATION_CONFIRMED = "resv_confirmed"
    RESERVATION_RESCHEDULED = "resv_rescheduled"
    RESERVATION_DECLINED = "resv_declined"
    RESERVATION_LETTER = "resv_letter"  # the request letter arrived by post or e-mail
    RELEASED = "released"  # untaken at closing time: the bot answers again, the user was told


class Sender(str, Enum):
    """Who wrote a transcript message."""

    USER = "user"
    BOT = "bot"
    AGENT = "agent"
