"""Which web chat conversations have a socket open, on any host.

One host answers from its own socket.io rooms. With several hosts (`DJPK_SOCKETIO_REDIS_URL`) a
conversation's socket may be on another host, so each host records its sockets in Redis: a hash
per conversation, socket id -> the moment the record expires. A host refreshes its own records
every `ttl / 3` seconds and removes one when its socket disconnects; the records of a host that
died expire after `ttl` seconds, so an agent reply is then queued for the user's next visit
instead of being marked sent to nobody.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Protocol

import redis

KEY = "djpk:webchat:presence:{}"
DEFAULT_TTL_S = 45.0


class Presence(Protocol):
    """Open sockets per conversation."""

    def join(self, conversation_id: str, sid: str) -> None: ...

    def leave(self, conversation_id: str, sid: str) -> None: ...

    def connected(self, conversation_id: str) -> bool: ...

    def refresh(self, pairs: Iterable[tuple[str, str]]) -> None: ...


class RoomPresence:
    """One host: a conversation is connected when its room has a member (socket.io's own
    bookkeeping, nothing to record)."""

    def __init__(self, rooms: Callable[[], dict]) -> None:
        self.rooms = rooms

    def join(self, conversation_id: str, sid: str) -> None:
        return None

    def leave(self, conversation_id: str, sid: str) -> None:
        return None

    def connected(self, conversation_id: str) -> bool:
        return bool(self.rooms().get(conversation_id))

    def refresh(self, pairs: Iterable[tuple[str, str]]) -> None:
        return None


class RedisPresence:
    """Every host's sockets, in Redis, each record living `ttl` seconds unless refreshed."""

    def __init__(
        self,
        client: redis.Redis,
        ttl: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client, self.ttl, self.clock = client, ttl, clock

    @classmethod
    def from_url(cls, url: str, ttl: float = DEFAULT_TTL_S) -> RedisPresence:
        return cls(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2), ttl)

    def join(self, conversation_id: str, sid: str) -> None:
        self.refresh([(conversation_id, sid)])

    def leave(self, conversation_id: str, sid: str) -> None:
        self.client.hdel(KEY.format(conversation_id), sid)

    def connected(self, conversation_id: str) -> bool:
        now = self.clock()
        stamps = self.client.hvals(KEY.format(conversation_id))
        return any(float(stamp) > now for stamp in stamps)

    def refresh(self, pairs: Iterable[tuple[str, str]]) -> None:
        until = self.clock() + self.ttl
        pipe = self.client.pipeline(transaction=False)
        for conversation_id, sid in pairs:
            key = KEY.format(conversation_id)
            pipe.hset(key, sid, repr(until))
            pipe.expire(key, int(self.ttl * 2) + 1)  # the whole hash goes once nobody refreshes
        pipe.execute()
