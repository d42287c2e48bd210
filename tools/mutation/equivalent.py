"""Surviving mutmut mutants judged equivalent (no behaviour a caller could notice changes).

Keyed by module and by the mutant's changed lines (`-old | +new`, as run.py prints them), so
the list survives mutmut renumbering its mutants; each value says why the mutant is equivalent.
A key that no longer matches simply stops applying: the mutant then shows as a survivor again.
"""

from __future__ import annotations

_SORT = "- found.sort(key=lambda m: (m.start, -(m.end - m.start)))"
_TAIL = ', map(int, value.replace(":", ".").split("."))))'
_CAST = f'- time(*cast("Iterator[Any]"{_TAIL}'
_CAST_WHY = "typing.cast does nothing at run time: its first argument is only for the type checker"

EQUIVALENT: dict[str, dict[str, str]] = {
    "numbers": {
        f"{_SORT} | + found.sort(key=lambda m: (m.start, +(m.end - m.start)))": (
            "readings that start together come shortest first, but the next, longer one overlaps "
            "it and replaces it (longest wins), so the same readings are kept"
        ),
        f"{_SORT} | + found.sort(key=lambda m: (m.start, -(m.end + m.start)))": (
            "the second key only orders readings with the same start, where -(end + start) "
            "orders exactly like -(end - start)"
        ),
    },
    "flags": {
        "- stop = _BOUNDARY.search(text, end, end + 60) # sees the digit before a dot at `end` "
        "| + stop = _BOUNDARY.search(text, end, end + 61) # sees the digit before a dot at `end`": (
            "with no boundary found the window is still text[end:end + 60]; a boundary starting at "
            "end + 60 cuts the window at the same place"
        ),
    },
    "hours": {
        **{
            f"{_CAST} | + time(*cast({arg}{_TAIL}": _CAST_WHY
            for arg in ("None", '"XXIterator[Any]XX"', '"iterator[any]"', '"ITERATOR[ANY]"')
        },
        "- self.weekly = {day: tuple(sorted(weekly.get(day, ()))) for day in range(7)} "
        "| + self.weekly = {day: tuple(sorted(weekly.get(day, ()))) for day in range(8)}": (
            "date.weekday() is 0..6: the extra day 7 is never looked up"
        ),
        **{
            f'- if day not in days or item.type == "libur_nasional": | + {new}': (
                "lokal-id 0.7.2 (pinned) lists no day twice, so which of two entries of one day "
                "wins never arises; it matters again with a data release that does"
            )
            for new in (
                'if day not in days or item.type != "libur_nasional":',
                'if day not in days or item.type == "XXlibur_nasionalXX":',
                'if day not in days or item.type == "LIBUR_NASIONAL":',
            )
        },
        "- if candidate > local: | + if candidate >= local:": (
            "a range starting exactly at `at` means the service is open at `at`, which returns "
            "before the search"
        ),
    },
    "verifier": {
        "- f\"'{near.letter.subject}'. Perbedaan: {'; '.join(near.differences)}.\", "
        "| + f\"'{near.letter.subject}'. Perbedaan: {'XX; XX'.join(near.differences)}.\",": (
            "Registry.closest only returns a letter differing in exactly one part: the list "
            "joined always has one item"
        ),
        **{
            '- include_examples = bool(getattr(settings, "letter_examples", False)) '
            f'| + include_examples = bool(getattr(settings, "letter_examples"{default}))': (
                "Settings always has letter_examples (a dataclass field): the default of getattr "
                "is never used"
            )
            for default in (", True", ", None", ", ")
        },
        "- return self.verify_reading(read_document(data, digest, limits)) "
        "| + return self.verify_reading(read_document(data, None, limits))": (
            "read_document hashes the data itself when given no digest: the same digest"
        ),
        '- verdict = self._registered(hit, "", (), None) '
        '| + verdict = self._registered(hit, "XXXX", (), None)': (
            "a file matched by its hash has no text to contradict the letter; 'XXXX' names no "
            "date, place, mode or subject either"
        ),
    },
    "programs": {
        **{
            '- phrases = sorted(owner, key=len, reverse=True) # longest first: "dak fisik" '
            f'before "dak" | + phrases = sorted(owner, {key}reverse=True) # longest first: '
            '"dak fisik" before "dak"': (
                "two names can only both match at one place when one is the start of the other, "
                "and reverse alphabetical order also puts the longer one first"
            )
            for key in ("", "key=None, ")
        },
        **{
            f"- seen.append(True) | + seen.append({value})": (
                "only the length of `seen` is read (first name or not), never its items"
            )
            for value in ("None", "False")
        },
    },
    "payloads": {
        '- return REF_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24] '
        '| + return REF_PREFIX + hashlib.sha256(payload.encode("UTF-8")).hexdigest()[:24]': (
            "codec names are case-insensitive: the same bytes are hashed"
        ),
        **{
            f"- {old} | + {old.replace('limit(1)', f'limit({n})')}": (
                ".first() and .scalar() read the first row only; how many more the database "
                "could send changes nothing"
            )
            for old in (
                "return connection.execute(query.limit(1)).first() is not None",
                "found = connection.execute(query.limit(1)).scalar()",
                ".limit(1)",
            )
            for n in ("None", "2")
        },
        '- "ref": wire_id if wire_id != payload else None, '
        '| + "ref": wire_id if (wire_id != payload) or True else None,': (
            "a payload sent as itself is found by its text already; storing it as its own ref "
            "resolves to the same payload"
        ),
        **{
            "- for position, (payload, wire_id) in enumerate(zip(payloads, ids, strict=True), "
            f"start=1) | + for position, (payload, wire_id) in enumerate(zip(payloads, ids, "
            f"{strict}), start=1)": "ids is built from payloads, one per payload: same length"
            for strict in ("strict=None", "", "strict=False")
        },
    },
    "transitions": {
        **{
            f"- .execution_options(synchronize_session=False) | + "
            f".execution_options(synchronize_session=None){tail}": (
                "SQLAlchemy 1.4 skips synchronising the session for None as for False (neither "
                "'evaluate' nor 'fetch')"
            )
            for tail in ("",)
        },
        "- select(TicketEventRow.id).where( | + select(None).where(": (
            "only whether a 'released' event exists is read: any selected column tells it"
        ),
    },
    "search": {
        **{
            f"- for {head}, strict=True): | + for {head}, {strict}):": (
                "both sequences are built from the same list: zip never meets unequal lengths"
            )
            for head in (
                "term, idf in zip(terms, idfs",
                "number, lex in zip(found.tolist(), lexical[found].tolist()",
            )
            for strict in ("strict=None", "", "strict=False")
        },
        **{
            "- term: (np.array([n for n, _ in rows], dtype=np.int64), np.array([w for _, w in "
            f"rows])) | + term: (np.array([n for n, _ in rows], {dtype}), np.array([w for _, w in "
            "rows]))": "numpy makes an array of Python ints int64 on every platform we run on"
            for dtype in ("dtype=None", "")
        },
        '- "topic": (entry.topic, entry.id.replace("-", " ")), '
        '| + "topic": (entry.topic, entry.id.replace("XX-XX", " ")),': (
            "the tokenizer splits the id at '-' by itself: the same words are indexed"
        ),
        "- if not terms or not self._docs: | + if not terms and not self._docs:": (
            "with no terms or no entries nothing scores above zero: the search returns [] "
            "either way"
        ),
        **{
            "- ranked = self.search(query, k=max(k, 2), threshold=0.0, today=today) | + "
            f"ranked = self.search(query, {args}threshold=0.0, today=today)": (
                "only ranked[0], ranked[1] and ranked[:k] are read: more ranked hits change nothing"
            )
            for args in ("k=max(k, 3), ", "k=None, ", "")
        },
        **{
            "- fuzzy = max((fuzz.token_set_ratio(text, q) for q in doc.questions), default=0) / "
            f"100 | + fuzzy = max((fuzz.token_set_ratio(text, q) for q in doc.questions), "
            f"{default}) / 100": (
                "the loader refuses an entry with fewer than three questions: the default of max "
                "is never used"
            )
            for default in ("default=None", "", "default=1")
        },
    },
}
