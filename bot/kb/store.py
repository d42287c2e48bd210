"""The process-wide knowledge base: hot-reloads edited FAQ files, keeps the last good one."""

from __future__ import annotations

import logging
import threading
from datetime import date
from functools import cache
from pathlib import Path

from bot.kb.loader import KbError, faq_dir, faq_files, load_dir
from bot.kb.models import FaqEntry, FaqMatch, SearchHit
from bot.kb.search import THRESHOLD, FaqIndex
from bot.settings import Settings

log = logging.getLogger(__name__)
Signature = tuple[tuple[str, int, int, int], ...]


class KnowledgeBase:
    """FAQ entries and their search index, reloaded when a file is edited, added or removed."""

    def __init__(self, kb_dir: Path) -> None:
        self.kb_dir = Path(kb_dir)
        self.errors: list[str] = []  # problems of the latest load attempt ([] when it loaded)
        self._index = FaqIndex(())
        self._signature: Signature | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeBase:
        """The shared knowledge base of `settings.kb_dir` (one per folder per process)."""
        return shared(Path(settings.kb_dir).resolve())

    def _current_signature(self) -> Signature:
        folder = faq_dir(self.kb_dir)
        if not folder.is_dir():
            return ()
        stats = ((p.name, p.stat()) for p in faq_files(folder))
        return tuple((name, st.st_mtime_ns, st.st_size, st.st_ino) for name, st in stats)

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
                entries = load_dir(self.kb_dir)
            except KbError as exc:
                self.errors = exc.messages
                for message in exc.messages:
                    log.error("%s", message)
                log.error("knowledge base not reloaded: still serving the last good version")
                return False
            self._index = FaqIndex(entries)
            self.errors = []
            log.info("knowledge base loaded: %d entries from %s", len(entries), self.kb_dir)
            return True

    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        """The entries being served."""
        self.refresh()
        return self._index.entries

    def get(self, entry_id: str) -> FaqEntry | None:
        """One entry by id, or None."""
        return next((e for e in self.entries if e.id == entry_id), None)

    def search(
        self, query: str, k: int = 3, threshold: float = THRESHOLD, today: date | None = None
    ) -> list[SearchHit]:
        """The best k entries scoring at least `threshold`, best first."""
        self.refresh()
        return self._index.search(query, k=k, threshold=threshold, today=today)

    def match(self, query: str, k: int = 3, today: date | None = None) -> FaqMatch:
        """Search and decide whether to answer, offer choices, or admit there is no answer."""
        self.refresh()
        return self._index.match(query, k=k, today=today)


@cache
def shared(kb_dir: Path) -> KnowledgeBase:
    """One KnowledgeBase per folder for the life of the process."""
    return KnowledgeBase(kb_dir)
