"""A local fake of the WhatsApp Cloud API (Graph API): records sends, serves media, fails on demand.

Run: `python -m harness.fakes.fake_graph --port 8899`, then point WHATSAPP_GRAPH_URL at
http://127.0.0.1:8899/v19.0. GET /sent lists accepted sends, GET /attempts every attempt,
GET /count counts them;
POST /_control/fail {"status": 400, "code": 131047, "times": 1} makes the next sends fail;
POST /_control/media {"id", "mime_type", "data_base64"} adds media; POST /_control/reset clears.

In process, `webhook(url, app_secret)` makes it play Meta's side of the conversation as well:
user messages go to the bot through `deliver` (stamped with the fake's clock, signed, and
remembered as the user's last message), each accepted send is followed by signed status webhooks
("sent", then "delivered"; "read" when `read_by` says the user opened the chat), and Meta's
customer service window is enforced: a message other than a template to a user who has not
written in the last 24 hours is accepted (200 and a wamid, as the Cloud API does) and then
reported "failed" with error 131047 in a status webhook.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import queue
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from harness.fakes import webhooks as wh

TITLES = {
    100: "Invalid parameter",
    131000: "Something went wrong",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    130429: "Rate limit hit",
    131056: "Pair rate limit hit",
}


def error_body(code: int, details: str = "") -> dict[str, Any]:
    """An error envelope shaped like Meta's."""
    return {
        "error": {
            "message": f"(#{code}) {TITLES.get(code, 'Error')}",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details or "fake"},
            "fbtrace_id": "AFakeTraceId",
        }
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *_: Any) -> None:
        pass

    def _reply(
        self,
        status: int,
        payload: Any = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> None:
        body = raw if raw is not None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else {}

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {self.server.fake.token}":
            return True
        self._reply(401, error_body(190, "Invalid OAuth access token"))
        return False

    def do_GET(self) -> None:  # noqa: N802
        fake, parts = self.server.fake, self.path.strip("/").split("/")
        if self.path in ("/sent", "/attempts"):
            self._reply(200, fake.sent() if self.path == "/sent" else fake.attempts())
        elif self.path == "/count":
            self._reply(200, fake.count())
        elif not self._authorised():
            return
        elif parts[0] == "media" and len(parts) == 2 and parts[1] in fake.media:
            mime, data = fake.media[parts[1]]
            self._reply(200, raw=data, content_type=mime)
        elif len(parts) == 2 and parts[1] in fake.media:
            mime, data = fake.media[parts[1]]
            host, port = self.server.server_address[:2]
            self._reply(
                200,
                {
                    "messaging_product": "whatsapp",
                    "id": parts[1],
                    "url": f"http://{host}:{port}/media/{parts[1]}",
                    "mime_type": mime,
                    "sha256": "fake",
                    "file_size": len(data),
                },
            )
        else:
            self._reply(404, error_body(100, f"unknown object {self.path}"))

    def do_POST(self) -> None:  # noqa: N802
        fake, body = self.server.fake, self._body()
        if self.path.startswith("/_control/"):
            self._reply(200, fake.control(self.path.removeprefix("/_control/"), body))
        elif not self.path.endswith("/messages"):
            self._reply(404, error_body(100, f"unknown edge {self.path}"))
        elif self._authorised():
            status, payload = fake.accept(self.path, body)
            self._reply(status, payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 resets connections under concurrent load
    fake: FakeGraph


class FakeGraph:
    """The fake server and its recorded state; start() runs it in a daemon thread."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "test-token",
        version: str = "v19.0",
    ) -> None:
        self.token, self.version = token, version
        self.media: dict[str, tuple[str, bytes]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._sent: list[dict[str, Any]] = []
        self._attempts: list[dict[str, Any]] = []
        self._failure: dict[str, Any] = {}
        self.latency = 0.0
        self.clock: Callable[[], float] = time.time  # Meta's clock (Unix seconds)
        self.status_delay = 0.3  # seconds between an accepted send and each of its statuses
        self._hook: tuple[str, str] | None = None  # (webhook URL, app secret)
        self._last_inbound: dict[str, float] = {}
        self._unread: dict[str, list[str]] = {}
        self._outbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._poster: threading.Thread | None = None
        self.hook_answers: list[int] = []  # HTTP statuses the bot gave the status webhooks
        self.httpd = _Server((host, port), _Handler)
        self.httpd.fake = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL to use as WHATSAPP_GRAPH_URL."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/{self.version}"

    def start(self) -> FakeGraph:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._poster is not None:
            self._outbox.put(None)
            self._poster.join(timeout=10)
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- Meta's side: inbound messages, status webhooks, the 24-hour window ----------------

    WINDOW_S = 24 * 3600

    def webhook(self, url: str, app_secret: str) -> None:
        """Post status webhooks to `url` signed with `app_secret`, and enforce the window."""
        self._hook = (url, app_secret)
        if self._poster is None:
            self._poster = threading.Thread(target=self._post_statuses, daemon=True)
            self._poster.start()

    def deliver(
        self, messages: list[dict[str, Any]], sender: str, name: str = "Budi Santoso"
    ) -> int:
        """The user `sender` sends `messages` (webhooks.text(...) etc.): stamped now by the
        fake's clock, they open the 24-hour window and are POSTed, signed, to the bot; the
        HTTP status of the bot's answer."""
        if self._hook is None:
            raise RuntimeError("call webhook(url, app_secret) first")
        now = self.clock()
        stamped = [{**m, "from": sender, "timestamp": str(int(now))} for m in messages]
        with self._lock:
            self._last_inbound[sender] = now
        raw, headers = wh.encode(wh.delivery(stamped, name=name, sender=sender), self._hook[1])
        return requests.post(self._hook[0], data=raw, headers=headers, timeout=10).status_code

    def window_open(self, wa_id: str) -> bool:
        """Whether Meta would let a business send free text to `wa_id` now."""
        with self._lock:
            last = self._last_inbound.get(wa_id)
        return last is not None and self.clock() - last < self.WINDOW_S

    def read_by(self, wa_id: str) -> None:
        """The user opens the chat: every delivered message to them is reported "read"."""
        with self._lock:
            unread, self._unread[wa_id] = self._unread.get(wa_id, []), []
        for wamid in unread:
            self._queue_status(wamid, "read", wa_id)

    def _queue_status(self, wamid: str, state: str, to: str, error: int | None = None) -> None:
        item = wh.status(wamid, state, recipient=to, error_code=error, at=self.clock())
        self._outbox.put(item)

    def _after_send(self, body: dict[str, Any], wamid: str) -> None:
        """The status webhooks Meta sends for an accepted message."""
        to = str(body.get("to", ""))
        if body.get("type") != "template" and not self.window_open(to):
            self._queue_status(wamid, "failed", to, error=131047)
            return
        self._queue_status(wamid, "sent", to)
        self._queue_status(wamid, "delivered", to)
        with self._lock:
            self._unread.setdefault(to, []).append(wamid)

    def _post_statuses(self) -> None:
        """One status per webhook, in order, each a moment after the send (as Meta does)."""
        while (item := self._outbox.get()) is not None:
            time.sleep(self.status_delay)
            assert self._hook is not None
            url, secret = self._hook
            raw, headers = wh.encode(wh.delivery(statuses=[item]), secret)
            try:
                answer = requests.post(url, data=raw, headers=headers, timeout=10).status_code
            except requests.RequestException:
                answer = 0
            with self._lock:
                self.hook_answers.append(answer)

    def __enter__(self) -> FakeGraph:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    def add_media(self, media_id: str, data: bytes, mime_type: str) -> None:
        """Serve `data` as media `media_id`."""
        self.media[media_id] = (mime_type, data)

    def fail(self, status: int, code: int, times: int = 1, include_reads: bool = False) -> None:
        """Answer the next `times` sends with this HTTP status and Meta error code."""
        with self._lock:
            self._failure = {
                "status": status,
                "code": code,
                "times": times,
                "include_reads": include_reads,
            }

    def control(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Apply a /_control/<action> request."""
        if action == "fail":
            self.fail(
                int(body.get("status", 500)),
                int(body.get("code", 131000)),
                int(body.get("times", 1)),
                bool(body.get("include_reads", False)),
            )
        elif action == "media":
            data = base64.b64decode(body.get("data_base64", ""))
            self.add_media(str(body["id"]), data, str(body.get("mime_type", "application/pdf")))
        elif action == "latency":
            self.latency = float(body.get("ms", 0)) / 1000
        elif action == "reset":
            with self._lock:
                self._sent.clear()
                self._attempts.clear()
                self._failure = {}
        return {"ok": True}

    def accept(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Record one send attempt; fail it if told to, else answer like Meta."""
        if self.latency:
            time.sleep(self.latency)
        is_read = body.get("status") == "read"
        with self._lock:
            failure = self._failure
            failing = failure.get("times", 0) > 0 and (not is_read or failure["include_reads"])
            if failing:
                failure["times"] -= 1
            status = failure["status"] if failing else 200
            self._attempts.append({"path": path, "body": body, "status": status})
            if failing:
                return status, error_body(failure["code"])
            self._sent.append({"path": path, "body": body, "at": time.time()})
            wamid = f"wamid.fake.{next(self._ids)}"
        if is_read:
            return 200, {"success": True}
        if self._hook is not None:
            self._after_send(body, wamid)
        to = str(body.get("to", ""))
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }

    def sent(self) -> list[dict[str, Any]]:
        """Accepted sends (messages and read receipts), oldest first."""
        with self._lock:
            return [dict(item) for item in self._sent]

    def attempts(self) -> list[dict[str, Any]]:
        """Every send attempt with the status it got, oldest first."""
        with self._lock:
            return [dict(item) for item in self._attempts]

    def count(self) -> dict[str, int]:
        """How many messages and read receipts were accepted (cheap to poll)."""
        with self._lock:
            reads = sum(1 for item in self._sent if item["body"].get("status") == "read")
            return {"messages": len(self._sent) - reads, "reads": reads}

    def messages(self) -> list[dict[str, Any]]:
        """Accepted message bodies, read receipts left out."""
        return [s["body"] for s in self.sent() if s["body"].get("status") != "read"]


def main() -> None:
    """Run the fake server in the foreground."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--token", default="test-token", help="bearer token it accepts")
    args = parser.parse_args()
    fake = FakeGraph(args.host, args.port, args.token)
    print(f"fake Graph API at {fake.url} (token {args.token!r})", flush=True)
    try:
        fake.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.httpd.server_close()


if __name__ == "__main__":
    main()
