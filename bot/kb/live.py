"""The process-wide knowledge base: hot-reloads edited FAQ files, keeps the last good one."""

from __future__ import annotations

import logging
import threading
from datetime import date
from functools import cache
from pathlib import Path

from bot.kb.loader import faq_dir, faq_files, load_dir
from bot.kb.programs import FILE as PROGRAMS_FILE
from bot.kb.programs import load_programs
from bot.kb.records import FaqEntry, FaqMatch, SearchHit
from bot.kb.refusals import FILE as REFUSALS_FILE
from bot.kb.refusals import load_refusals
from bot.kb.retriever import FaqRetriever
from bot.kb.semantic import E5Encoder, EmbeddingCache, Encoder, SemanticIndex
from bot.kb.yamlfile import KbError
from bot.settings import Settings

log = logging.getLogger(__name__)
Signature = tuple[tuple[str, int, int, int], ...]


class KnowledgeBase:
    """FAQ entries and their retriever, reloaded when a file is edited, added or removed.

    With an encoder, entries are also searched by meaning; their vectors are cached by text hash
    (on disk when `cache_path` is given), so a reload embeds only the texts that changed.
    """

    def __init__(
        self,
        kb_dir: Path,
        encoder: Encoder | None = None,
        cache_path: Path | None = None,
    ) -> None:
        self.kb_dir = Path(kb_dir)
        self.errors: list[str] = []  # problems of the latest load attempt ([] when it loaded)
        self.encoder = encoder
        self.cache = EmbeddingCache(cache_path)
        self._retriever = FaqRetriever(())
        self._signature: Signature | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeBase:
        """The shared knowledge base of `settings.kb_dir` (one per folder per process)."""
        return shared(
            Path(settings.kb_dir).resolve(), Path(settings.vector_cache), settings.faq_encoder
        )

    def _current_signature(self) -> Signature:
        folder = faq_dir(self.kb_dir)
        if not folder.is_dir():
            return ()
        files = [*faq_files(folder), self.kb_dir / PROGRAMS_FILE, self.kb_dir / REFUSALS_FILE]
        stats = ((p.name, p.stat()) for p in files if p.is_file())
        return tuple((name, st.st_mtime_ns, st.st_size, st.st_ino) for name, st in stats)

    def _build(self) -> FaqRetriever:
        entries = load_dir(self.kb_dir)
        programs, refusals = load_programs(self.kb_dir), load_refusals(self.kb_dir)
        semantic = None
        if self.encoder is not None:
            try:
                semantic = SemanticIndex(entries, self.encoder, self.cache)
                log.info("knowledge base: %d passages embedded", semantic.embedded)
            except (ImportError, OSError, RuntimeError, ValueError) as exc:
                log.error("semantic search unavailable, lexical only: %s", exc)
        return FaqRetriever(entries, programs, refusals, semantic)

    def refresh(self) -> bool:
        """Reload if any FAQ file changed since the last look; True when a new KB is serving."""
        signature = self._current_signature()
        if signature == self._signature:
            return False
        with self._lock:
            if signature == self._signature:
                return False
            self._signature = signature
            try:
                retriever = self._build()
            except KbError as exc:
                self.errors = exc.messages
                for message in exc.messages:
                    log.error("%s", message)
                log.error("knowledge base not reloaded: still serving the last good version")
                return False
            self._retriever = retriever
            self.errors = []
            count = len(retriever.entries)
            log.info("knowledge base loaded: %d entries from %s", count, self.kb_dir)
            return True

    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        """The entries being served."""
        self.refresh()
        return self._retriever.entries

    @property
    def retriever(self) -> FaqRetriever:
        """The retriever being served."""
        self.refresh()
        return self._retriever

    def get(self, entry_id: str) -> FaqEntry | None:
        """One entry by id, or None."""
        return next((e for e in self.entries if e.id == entry_id), None)

    def search(
        self, query: str, k: int = 3, threshold: float | None = None, today: date | None = None
    ) -> list[SearchHit]:
        """The best k entries with at least `threshold` confidence, best first."""
        return self.retriever.search(query, k=k, threshold=threshold, today=today)

    def match(self, query: str, k: int = 3, today: date | None = None) -> FaqMatch:
        """Search and decide whether to answer, offer choices, or admit there is no answer."""
        return self.retriever.match(query, k=k, today=today)


@cache
def shared(kb_dir: Path, vector_cache: Path, by_meaning: bool = True) -> KnowledgeBase:
    """One KnowledgeBase per folder for the life of the process (searching by meaning too)."""
    return KnowledgeBase(kb_dir, E5Encoder() if by_meaning else None, vector_cache)
