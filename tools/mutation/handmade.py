"""Hand-written mutants of the module-level code mutmut does not mutate (regexes, constants).

Each is (label, exact text in the module, replacement); the text must occur exactly once.
"""

from __future__ import annotations

HANDMADE: dict[str, tuple[tuple[str, str, str], ...]] = {
    "numbers": (
        ("O0 prefix forgotten", '"UN0": "UND", ', ""),
        ("5E read as S", '"5E": "SE"', '"5E": "S"'),
        ("5 kept as 5", '"S": "S", "5": "S"', '"S": "S", "5": "5"'),
        ("Perpres not a regulation", 'frozenset({"PMK", "PERPRES"})', 'frozenset({"PMK"})'),
        ("digit allowed before", '_B = r"(?<![A-Za-z0-9])"', '_B = r"(?<![A-Za-z])"'),
        ("digit allowed after", '_E = r"(?![0-9])"', '_E = r""'),
        (
            "one space in separators",
            r"_SEP = r\"(?:\s{0,3}[/|\\⁄]\s{0,3}",
            r"_SEP = r\"(?:\s{0,1}[/|\\⁄]\s{0,1}",
        ),
        ("no backslash separator", r"[/|\\⁄]", r"[/|⁄]"),
        ("years 2xxx only", '_YEAR = rf"(?P<year>[12]', '_YEAR = rf"(?P<year>[2]'),
        ("unit 03 not read", "(?P<unitno>0?[1-9Il])", "(?P<unitno>[1-9Il])"),
        ("PMK seq of 3 digits", "(?P<seq>{_D}{{1,4}})\\s{{0,3}}", "(?P<seq>{_D}{{1,3}})\\s{{0,3}}"),
        ("PMK unit of 2 digits", "(?P<unitno>{_D}{{1,3}})", "(?P<unitno>{_D}{{1,2}})"),
        ("Tahun 19xx refused", r"(?P<year>(?:19|20)\d\d)", r"(?P<year>(?:20)\d\d)"),
        ("No. not read", r"(?:(?:Nomor|No\.?)\s{0,3})?(?P<seq>", r"(?:(?:Nomor)\s{0,3})?(?P<seq>"),
        ("lead No. refused", r"(?:(?:Nomor|No\.?)\s*)?", r"(?:(?:Nomor)\s*)?"),
        (
            "prefix case-sensitive",
            '_YEAR}{_E}",\n        re.IGNORECASE,\n    ),\n    re.compile(rf"{_B}(?P<seq>',
            '_YEAR}{_E}",\n    ),\n    re.compile(rf"{_B}(?P<seq>',
        ),
        ("PENG forgotten", "(?P<prefix>PENG|KEP|", "(?P<prefix>KEP|"),
        ("dashes forgotten", r"[\s\-–—.:]{{0,3}}", r"[\s\-.:]{{0,3}}"),
        (
            "O not a digit",
            '_TO_DIGIT = str.maketrans("OoQIlSsBZz", "0001155822")',
            '_TO_DIGIT = str.maketrans("oQIlSsBZz", "001155822")',
        ),
    ),
    "hours": (("search a week only", "_SEARCH_DAYS = 400", "_SEARCH_DAYS = 8"),),
}
