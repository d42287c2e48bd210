"""Letter actions: one-message verdicts, the report button, documents, counting reports."""

from __future__ import annotations

import hashlib

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text as sql

from actions import services
from actions.common import OFFER_BUTTON
from actions.letters import (
    ActionReportFake,
    ActionVerifyDocument,
    ActionVerifyLetter,
    ValidateVerifyLetterForm,
)
from bot.uploads import UploadStore
from harness.bad_uploads import many_images_pdf, renamed_zip
from tests.actions.trackers import make_tracker, texts

FAKE = (
    "undangan bimtek JF AKPD nomor UND-77/PK/2023, bayar kontribusi 3,5 juta ke rekening "
    "panitia, asli?"
)


@pytest.fixture(autouse=True)
async def closed_pool():
    """Stop the document workers a test started."""
    yield
    await services.reading_pool().close()


def stored(tmp_path, name: str, data: bytes) -> str:
    """Put the bytes in the uploads folder as a channel would name them; their upload id."""
    uploads = tmp_path / "uploads"
    uploads.mkdir(exist_ok=True)
    upload_id = f"{hashlib.sha256(data).hexdigest()}.{name.rsplit('.', 1)[-1]}"
    (uploads / upload_id).write_bytes(data)
    return upload_id


def sharing(value: str, sender: str = "user-1"):
    """A tracker whose latest message is the `/share_document` payload carrying `value`."""
    return make_tracker(
        "/share_document",
        intent="share_document",
        entities=[{"entity": "document_path", "value": value}],
        sender=sender,
        channel="whatsapp",
    )


def upload(tmp_path, name: str, data: bytes, sender: str = "user-1"):
    """A tracker whose latest message hands over a file stored in the uploads folder, by id."""
    return sharing(stored(tmp_path, name, data), sender)


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    return dispatcher, await action.run(dispatcher, tracker, {})


async def test_registered_number_is_genuine_with_its_subject():
    text = "apakah surat UND-41/PK.3/2023 benar dari djpk?"
    dispatcher, events = await run(
        ActionVerifyLetter(), make_tracker(text, slots={"letter_text": text})
    )
    reply = texts(dispatcher)[0]
    assert "Petunjuk Teknis DAK Fisik" in reply
    assert dispatcher.messages[0]["buttons"] == []
    remembered = next(e["value"] for e in events if e["name"] == "last_verification")
    assert remembered["verdict"] == "genuine"


async def test_paid_bimtek_gets_a_warning_and_the_report_button():
    dispatcher, events = await run(
        ActionVerifyLetter(), make_tracker(FAKE, slots={"letter_text": FAKE})
    )
    reply = texts(dispatcher)[0].lower()
    assert "rekening" in reply or "biaya" in reply
    assert "150420" in reply
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/report_fake", "/request_human"]
    with services.engine().connect() as connection:
        verdicts = (
            connection.execute(sql("select verdict from letter_verifications")).scalars().all()
        )
    assert len(verdicts) == 1 and verdicts[0] != "genuine"


async def test_the_form_skips_the_question_when_the_number_is_given():
    form = ValidateVerifyLetterForm()
    given = make_tracker("surat SE-1/PK/2023 asli?", intent="verify_letter")
    assert await form.extract_letter_text(CollectingDispatcher(), given, {}) == {
        "letter_text": "surat SE-1/PK/2023 asli?"
    }
    bare = make_tracker("cek keaslian surat", intent="verify_letter")
    assert await form.extract_letter_text(CollectingDispatcher(), bare, {}) == {}


async def test_reports_are_counted_per_number_and_open_a_pengaduan_ticket():
    _, events = await run(ActionVerifyLetter(), make_tracker(FAKE, slots={"letter_text": FAKE}))
    last = next(e["value"] for e in events if e["name"] == "last_verification")
    first, _ = await run(
        ActionReportFake(),
        make_tracker("/report_fake", intent="report_fake", slots={"last_verification": last}),
    )
    second, _ = await run(
        ActionReportFake(),
        make_tracker(
            "/report_fake", intent="report_fake", slots={"last_verification": last}, sender="user-2"
        ),
    )
    assert "Nomor tiket: DJPK-" in texts(first)[0]
    assert "laporan ke-2 untuk nomor UND-77/PK/2023" in texts(second)[0]
    tickets = services.ticket_service().find()
    assert {t.topic.value for t in tickets} == {"Pengaduan"} and len(tickets) == 2


async def test_a_document_outside_the_upload_folder_is_never_opened():
    tracker = make_tracker(
        '/share_document{"document_path": "/etc/passwd"}',
        intent="share_document",
        entities=[{"entity": "document_path", "value": "/etc/passwd"}],
    )
    dispatcher, _ = await run(ActionVerifyDocument(), tracker)
    assert "tidak dapat kami buka" in texts(dispatcher)[0]


async def test_an_uploaded_pdf_is_verified(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(
        0,
        8,
        "Undangan Bimtek nomor UND-99/PK/2023. Biaya kontribusi Rp 3.500.000 "
        "ditransfer ke rekening BRI 1234567890 a.n. panitia.",
    )
    saved = UploadStore(tmp_path / "uploads").save(bytes(pdf.output()))
    dispatcher, events = await run(ActionVerifyDocument(), sharing(saved.id))
    remembered = next(e["value"] for e in events if e["name"] == "last_verification")
    assert remembered["verdict"] != "genuine" and remembered["file_sha256"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]][0] == "/report_fake"


async def test_a_pdf_of_thousands_of_images_gets_a_polite_refusal_not_silence(tmp_path):
    dispatcher, events = await run(
        ActionVerifyDocument(), upload(tmp_path, "x.pdf", many_images_pdf(4500))
    )
    [message] = dispatcher.messages
    assert message["text"].startswith("Mohon maaf Bapak/Ibu") and "(4500)" in message["text"]
    assert "halaman pertama" in message["text"] and "ketik nomor surat" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [OFFER_BUTTON["payload"]]
    assert events == [{"event": "slot", "timestamp": None, "name": "document_path", "value": None}]
    assert services.reading_pool().spawned == 0  # refused from its bytes, before any parser


async def test_uploads_past_the_hourly_limit_are_refused_per_sender(tmp_path, monkeypatch):
    monkeypatch.setenv("DJPK_UPLOADS_PER_HOUR", "2")
    services.reset()
    replies = []
    for sender in ("628111", "628111", "628111", "628222"):
        dispatcher, _ = await run(
            ActionVerifyDocument(), upload(tmp_path, "z.pdf", renamed_zip(), sender)
        )
        replies.append(texts(dispatcher)[0])
    assert ["jenis berkas" in reply for reply in replies] == [True, True, False, True]
    assert "batas 2 dokumen per jam" in replies[2]


async def test_a_path_recorded_before_upload_ids_is_opened_only_inside_the_folder(tmp_path):
    """Trackers from before the change carry the file's path; it must lie in the folder."""
    upload_id = stored(tmp_path, "z.pdf", renamed_zip())
    inside = str(tmp_path / "uploads" / "." / upload_id)
    dispatcher, _ = await run(ActionVerifyDocument(), sharing(inside))
    assert "jenis berkas" in texts(dispatcher)[0]  # opened and judged
    outside = tmp_path / upload_id
    outside.write_bytes(renamed_zip())
    for value in (str(outside), str(tmp_path / "uploads" / ".." / upload_id), "/etc/passwd"):
        dispatcher, _ = await run(ActionVerifyDocument(), sharing(value))
        assert "tidak dapat kami buka" in texts(dispatcher)[0], value


async def test_an_id_of_no_stored_file_or_not_an_id_is_never_opened(tmp_path):
    stored(tmp_path, "z.pdf", renamed_zip())
    for value in ("0" * 64 + ".pdf", "../../etc/passwd", "passwd", "z.pdf"):
        dispatcher, _ = await run(ActionVerifyDocument(), sharing(value))
        assert "tidak dapat kami buka" in texts(dispatcher)[0], value


async def test_the_upload_id_in_the_metadata_is_enough(tmp_path):
    tracker = make_tracker("/share_document", intent="share_document", channel="whatsapp")
    tracker.latest_message["metadata"] = {"upload_id": stored(tmp_path, "z.pdf", renamed_zip())}
    dispatcher, _ = await run(ActionVerifyDocument(), tracker)
    assert "jenis berkas" in texts(dispatcher)[0]
