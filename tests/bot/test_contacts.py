"""Official contacts: one file, used everywhere; phone and domain checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.contacts import contacts_text, load_contacts, phone_digits

KB_DIR = Path(__file__).resolve().parents[2] / "knowledge_base"


def test_the_official_contacts_are_loaded() -> None:
    contacts = load_contacts(KB_DIR)
    assert contacts.whatsapp == "0811-150420-7"
    assert contacts.dering == "150420"
    assert contacts.email_callcenter == "callcenter.djpk@kemenkeu.go.id"
    assert contacts.email_lapor == "lapor.djpk@kemenkeu.go.id"
    assert contacts.website == "djpk.kemenkeu.go.id"
    assert contacts.live_chat == "contact-djpk.kemenkeu.go.id"
    assert "Wahidin Raya No. 1" in contacts.address and "10710" in contacts.address
    assert contacts.building == "Gedung Radius Prawiro"
    assert ("Instagram", "@ditjenpk") in contacts.social


def test_phone_numbers_in_any_format() -> None:
    contacts = load_contacts(KB_DIR)
    assert phone_digits("+62 811-150420-7") == "08111504207"
    for spelling in ("0811-150420-7", "+62811 1504 207", "628111504207", "150420"):
        assert contacts.is_official_phone(spelling)
    assert not contacts.is_official_phone("0812-3456-7890")


@pytest.mark.parametrize(
    ("host", "official"),
    [
        ("kemenkeu.go.id", True),
        ("djpk.kemenkeu.go.id", True),
        ("Contact-DJPK.kemenkeu.go.id.", True),
        ("kemenkeu.go.id.evil.com", False),
        ("fakekemenkeu.go.id", False),
        ("djpk-kemenkeu.com", False),
    ],
)
def test_official_domains_include_subdomains_only(host: str, official: bool) -> None:
    assert load_contacts(KB_DIR).is_official_domain(host) is official


def test_official_email() -> None:
    contacts = load_contacts(KB_DIR)
    assert contacts.is_official_email("lapor.djpk@kemenkeu.go.id")
    assert not contacts.is_official_email("djpk.kemenkeu@gmail.com")


def test_contacts_text_is_short_and_complete() -> None:
    contacts = load_contacts(KB_DIR)
    text = contacts_text(contacts)
    for value in (
        contacts.whatsapp,
        contacts.dering,
        contacts.email_callcenter,
        contacts.live_chat,
    ):
        assert value in text
    assert len(text) < 300


def test_missing_fields_are_named(tmp_path: Path) -> None:
    (tmp_path / "contacts.yml").write_text("whatsapp: 0811\n")
    with pytest.raises(ValueError, match="missing dering"):
        load_contacts(tmp_path)
