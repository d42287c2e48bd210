"""A local fake of Deskpro's REST API v2 ticket creation: checks the request shape, fails on demand.

Run: `python -m harness.fakes.fake_deskpro --port 8898 --key 1:TESTKEY`, then set
DESKPRO_URL=http://127.0.0.1:8898 and DESKPRO_API_KEY=1:TESTKEY. POST /api/v2/tickets answers
201 {"data": {"id", "ref", ...}} for a well-formed body, 400 with the problems otherwise, 401
without `Authorization: key <KEY>`. GET /api/v2/ticket_labels/{label}/tickets lists the tickets
carrying a label (200 with an empty list when none). GET /_control/tickets lists created tickets,
GET /_control/attempts every attempt, GET /_control/lookups every label look-up; POST /_control/fail
{"status": 503, "times": 2} fails the next sends, with "after_create": true the ticket is created
first and only the answer fails (a gateway timing out after Deskpro committed); POST /_control/reset
clears.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

STATUSES = ("awaiting_agent", "awaiting_user", "pending", "resolved")
FORMATS = ("text", "html")


def shape_problems(body: Any) -> list[str]:
    """What is wrong with a ticket-create body, as Deskpro v2 expects it ([] when fine)."""
    if not isinstance(body, dict):
        return ["body must be a JSON object"]
    problems = []
    subject = body.get("subject")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > 255:
        problems.append("subject: a non-empty string of at most 255 characters")
    person = body.get("person")
    if not isinstance(person, dict) or not (person.get("id") or person.get("email")):
        problems.append("person: an object with id or email")
    elif "email" in person and "@" not in str(person["email"]):
        problems.append("person.email: not an e-mail address")
    message = body.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("message"), str):
        problems.append("message: an object with a string `message`")
    elif message.get("format", "text") not in FORMATS:
        problems.append("message.format: text or html")
    elif not message["message"].strip():
        problems.append("message.message: empty")
    if "status" in body and body["status"] not in STATUSES:
        problems.append(f"status: one of {', '.join(STATUSES)}")
    labels = body.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
        problems.append("labels: a list of non-empty strings")
    return problems


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *_: Any) -> None:
        pass

    def _reply(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> tuple[Any, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"null"), ""
        except ValueError:
            return None, "body is not JSON"

    def do_GET(self) -> None:  # noqa: N802
        fake = self.server.fake
        label_path = re.fullmatch(r"/api/v2/ticket_labels/([^/?]+)/tickets/?", self.path)
        if self.path == "/_control/tickets":
            self._reply(200, fake.tickets())
        elif self.path == "/_control/attempts":
            self._reply(200, fake.attempts())
        elif self.path == "/_control/lookups":
            self._reply(200, fake.lookups())
        elif label_path:
            headers = {key.lower(): value for key, value in self.headers.items()}
            self._reply(*fake.by_label(headers, unquote(label_path.group(1))))
        else:
            self._reply(404, {"status": 404, "message": f"no route {self.path}"})

    def do_POST(self) -> None:  # noqa: N802
        fake = self.server.fake
        body, problem = self._body()
        if self.path.startswith("/_control/"):
            self._reply(200, fake.control(self.path.removeprefix("/_control/"), body or {}))
            return
        if self.path.rstrip("/") != "/api/v2/tickets":
            self._reply(404, {"status": 404, "message": f"no route {self.path}"})
            return
        headers = {key.lower(): value for key, value in self.headers.items()}
        self._reply(*fake.accept(headers, body, problem))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeDeskpro


class FakeDeskpro:
    """The fake server and what it recorded; start() serves from a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, key: str = "1:TESTKEY") -> None:
        self.key = key
        self._lock = threading.Lock()
        self._ids = itertools.count(101)
        self._tickets: list[dict[str, Any]] = []
        self._attempts: list[dict[str, Any]] = []
        self._lookups: list[str] = []
        self._failure: dict[str, Any] = {"status": 0, "times": 0, "after_create": False}
        self.httpd = _Server((host, port), _Handler)
        self.httpd.fake = self
        self._serving = False

    @property
    def url(self) -> str:
        """The helpdesk URL to use as DESKPRO_URL."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeDeskpro:
        """Serve in a daemon thread."""
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self._serving = True
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._serving:
            self.httpd.shutdown()
            self._serving = False
        self.httpd.server_close()

    def __enter__(self) -> FakeDeskpro:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    def fail(self, status: int = 503, times: int = 1, after_create: bool = False) -> None:
        """Answer the next `times` well-authenticated sends with this status.

        With `after_create` the ticket is made first and only the answer is an error.
        """
        with self._lock:
            self._failure = {"status": status, "times": times, "after_create": after_create}

    def control(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Apply a /_control/<action> request."""
        if action == "fail":
            after = bool(body.get("after_create", False))
            self.fail(int(body.get("status", 503)), int(body.get("times", 1)), after)
        elif action == "reset":
            with self._lock:
                self._tickets.clear()
                self._attempts.clear()
                self._lookups.clear()
                self._failure = {"status": 0, "times": 0, "after_create": False}
        return {"ok": True}

    def accept(self, headers: dict[str, str], body: Any, problem: str) -> tuple[int, Any]:
        """Check one create request; record it; answer like Deskpro."""
        with self._lock:
            attempt = {"body": body, "headers": headers, "status": 0}
            self._attempts.append(attempt)
            if headers.get("authorization") != f"key {self.key}":
                attempt["status"] = 401
                return 401, {"status": 401, "message": "Invalid API key"}
            if not headers.get("content-type", "").startswith("application/json"):
                problem = problem or "Content-Type must be application/json"
            problems = [problem] if problem else shape_problems(body)
            if problems:
                attempt["status"] = 400
                return 400, {"status": 400, "message": "Invalid request", "errors": problems}
            failing = self._failure["times"] > 0
            if failing and not self._failure["after_create"]:
                self._failure["times"] -= 1
                attempt["status"] = self._failure["status"]
                return attempt["status"], {"status": attempt["status"], "message": "fake failure"}
            ticket_id = next(self._ids)
            ticket = {"id": ticket_id, "ref": f"FAKE-{ticket_id:04d}-DJPK", **body}
            self._tickets.append(ticket)
            if failing:
                self._failure["times"] -= 1
                attempt["status"] = self._failure["status"]
                return attempt["status"], {"status": attempt["status"], "message": "fake timeout"}
            attempt["status"] = 201
            return 201, {"data": {"id": ticket_id, "ref": ticket["ref"]}, "meta": {}, "linked": {}}

    def by_label(self, headers: dict[str, str], label: str) -> tuple[int, Any]:
        """Tickets carrying `label`, as GET /api/v2/ticket_labels/{label}/tickets answers."""
        with self._lock:
            self._lookups.append(label)
            if headers.get("authorization") != f"key {self.key}":
                return 401, {"status": 401, "message": "Invalid API key"}
            found = [
                {
                    "id": t["id"],
                    "ref": t["ref"],
                    "subject": t["subject"],
                    "labels": t.get("labels", []),
                }
                for t in self._tickets
                if label.lower() in (x.lower() for x in t.get("labels", []))
            ]
            meta = {"pagination": {"total": len(found), "count": len(found), "current_page": 1}}
            return 200, {"data": found, "meta": meta, "linked": {}}

    def lookups(self) -> list[str]:
        """Every label looked up, oldest first."""
        with self._lock:
            return list(self._lookups)

    def tickets(self) -> list[dict[str, Any]]:
        """Tickets created so far."""
        with self._lock:
            return list(self._tickets)

    def attempts(self) -> list[dict[str, Any]]:
        """Every create request, with the status it got."""
        with self._lock:
            return list(self._attempts)


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8898)
    parser.add_argument("--key", default="1:TESTKEY")
    args = parser.parse_args()
    fake = FakeDeskpro(port=args.port, key=args.key)
    print(f"fake Deskpro on {fake.url}", flush=True)
    fake.httpd.serve_forever()


if __name__ == "__main__":
    main()
