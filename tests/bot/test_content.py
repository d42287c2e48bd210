"""Every loader of knowledge_base/ content fails with a ContentError subclass naming the file,
so one `except ContentError` catches any malformed file; the old names stay importable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.contacts import ContactsError, load_contacts
from bot.content import ContentError, read_yaml
from bot.hours import HoursError, ServiceHours, load_holidays
from bot.kb.loader import load_dir
from bot.kb.programs import load_programs
from bot.kb.refusals import load_refusals
from bot.kb.yamlfile import KbError
from bot.letters.entry import EntryError, letter_entry
from bot.letters.registry import Registry, RegistryError
from bot.referrals import NonDjpkDirectory, NonDjpkError
from bot.regions import RegionIndex, RegionsError
from bot.reservations import ReservationRules, ServicesError
from bot.units import EscalationUnits, UnitsError

BAD_YAML = "key: [unclosed\n"

# (file written into an empty knowledge base folder, its text, the loader, the error it raises)
CASES: list[tuple[str, str, Callable[[Path], object], type[ContentError]]] = [
    ("faq/sekretariat.yml", BAD_YAML, load_dir, KbError),
    ("programs.yml", BAD_YAML, load_programs, KbError),
    ("refusals.yml", "kinds: 3\n", load_refusals, KbError),
    ("letters/official.yml", "letters:\n  - number: 12\n", Registry.from_dir, RegistryError),
    ("hours.yml", BAD_YAML, ServiceHours.load, HoursError),
    ("hours.yml", "weekly:\n  someday: [08.00-16.00]\n", ServiceHours.load, HoursError),
    ("hours.yml", "weekly:\n  senin: [pagi]\n", ServiceHours.load, HoursError),
    ("holidays.yml", "add:\n  - {date: besok, name: X}\n", load_holidays, HoursError),
    ("contacts.yml", BAD_YAML, load_contacts, ContactsError),
    ("contacts.yml", "whatsapp: 0811\n", load_contacts, ContactsError),
    (
        "regions.csv",
        "code,name,kind,province,zone,region\n1,A,desa,B,WIB,Barat\n",
        RegionIndex.load,
        RegionsError,
    ),
    (
        "regions.csv",
        "code,name,kind,province,zone,region\n1,A,kota,B,UTC,Barat\n",
        RegionIndex.load,
        RegionsError,
    ),
    ("non_djpk.yml", "entries:\n  - id: efin\n", NonDjpkDirectory.load, NonDjpkError),
    ("non_djpk.yml", BAD_YAML, NonDjpkDirectory.load, NonDjpkError),
    ("services.yml", BAD_YAML, ReservationRules.load, ServicesError),
    ("services.yml", "reservations: [1]\n", ReservationRules.load, ServicesError),
    ("services.yml", BAD_YAML, EscalationUnits.load, UnitsError),
    ("services.yml", "units: sekretariat\n", EscalationUnits.load, UnitsError),
]


@pytest.mark.parametrize(("name", "text", "load", "error"), CASES)
def test_each_loader_raises_a_content_error_naming_the_file(
    tmp_path: Path,
    name: str,
    text: str,
    load: Callable[[Path], object],
    error: type[ContentError],
) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load(tmp_path)
    assert type(caught.value) is error
    assert caught.value.messages and str(caught.value) == "\n".join(caught.value.messages)
    assert all(str(path) in message for message in caught.value.messages)


def test_a_missing_file_stays_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_yaml(tmp_path / "x.yml")


def test_bad_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "contacts.yml").write_text("whatsapp: 0811\ndering: [\n", encoding="utf-8")
    with pytest.raises(ContactsError) as caught:
        load_contacts(tmp_path)
    assert caught.value.messages[0].startswith(f"{tmp_path / 'contacts.yml'}:3: invalid YAML")


def test_entry_errors_are_content_errors_and_still_value_errors(tmp_path: Path) -> None:
    with pytest.raises(EntryError) as caught:
        letter_entry(tmp_path / "x.pdf", "not a number", "2026-01-01", "Perihal")
    assert isinstance(caught.value, ContentError) and isinstance(caught.value, ValueError)
    assert caught.value.messages == ["'not a number' is not a letter or regulation number"]


def test_every_loader_error_class_derives_from_content_error() -> None:
    errors = {KbError, RegistryError, EntryError, HoursError, ContactsError, RegionsError}
    errors |= {NonDjpkError, ServicesError, UnitsError}
    assert all(issubclass(cls, ContentError) for cls in errors)
    assert {case[3] for case in CASES} | {EntryError} == errors
