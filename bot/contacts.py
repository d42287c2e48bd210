"""Official DJPK contacts from knowledge_base/contacts.yml (the one source used everywhere)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.content import ContentError, read_yaml

FILE_NAME = "contacts.yml"
_REQUIRED = ("whatsapp", "dering", "emails", "website", "live_chat", "address", "official_domains")


class ContactsError(ContentError, ValueError):
    """contacts.yml is malformed; the message names the file."""


@dataclass(frozen=True)
class Contacts:
    """Official channels of the DJPK contact center and the official internet domains."""

    whatsapp: str
    dering: str
    email_callcenter: str
    email_lapor: str
    website: str
    live_chat: str
    address: str
    building: str = ""
    social: tuple[tuple[str, str], ...] = ()
    official_domains: tuple[str, ...] = ("kemenkeu.go.id",)

    @property
    def official_phones(self) -> frozenset[str]:
        """Official numbers as bare digits, national form (0811...) and short codes."""
        return frozenset({phone_digits(self.whatsapp), phone_digits(self.dering)})

    def is_official_phone(self, text: str) -> bool:
        """True when the number (any formatting, +62 or 0) is one of the official numbers."""
        return phone_digits(text) in self.official_phones

    def is_official_domain(self, host: str) -> bool:
        """True for an official domain or any of its subdomains (case-insensitive)."""
        host = host.strip().lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.official_domains)

    def is_official_email(self, address: str) -> bool:
        """True when the e-mail address belongs to an official domain."""
        _, _, domain = address.strip().rpartition("@")
        return bool(domain) and self.is_official_domain(domain)


def phone_digits(text: str) -> str:
    """Digits of a phone number in national form: '+62 811-150420-7' -> '08111504207'."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62") and len(digits) > 8:
        digits = "0" + digits[2:]
    return digits


def load_contacts(kb_dir: Path | str) -> Contacts:
    """Read contacts.yml from the knowledge base folder; ContactsError names the file."""
    path = Path(kb_dir) / FILE_NAME
    data = read_yaml(path, ContactsError) or {}
    if not isinstance(data, dict):
        raise ContactsError(f"{path}:1: expected a mapping of contact fields")
    missing = [key for key in _REQUIRED if not data.get(key)]
    if missing:
        raise ContactsError(f"{path}:1: missing {', '.join(missing)}")
    emails = data["emails"]
    if not isinstance(emails, dict) or not emails.get("callcenter") or not emails.get("lapor"):
        raise ContactsError(f"{path}:1: emails needs callcenter and lapor")
    social = tuple(
        (str(item.get("platform", "")), str(item.get("handle", "")))
        for item in data.get("social") or []
        if isinstance(item, dict)
    )
    return Contacts(
        whatsapp=str(data["whatsapp"]),
        dering=str(data["dering"]),
        email_callcenter=str(emails["callcenter"]),
        email_lapor=str(emails["lapor"]),
        website=str(data["website"]),
        live_chat=str(data["live_chat"]),
        address=str(data["address"]),
        building=str(data.get("building") or ""),
        social=social,
        official_domains=tuple(str(d).lower() for d in data["official_domains"]),
    )


def contacts_text(contacts: Contacts) -> str:
    """Short Indonesian block of the official channels, for the end of a reply."""
    return (
        "Kanal resmi DJPK:\n"
        f"• WhatsApp {contacts.whatsapp}\n"
        f"• Dering DJPK {contacts.dering}\n"
        f"• E-mail {contacts.email_callcenter}\n"
        f"• Live chat {contacts.live_chat}\n"
        f"• Situs {contacts.website}"
    )
