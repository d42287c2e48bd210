"""A worker process of bot.letters.pool: `python -m bot.letters.worker module:function`.

It reads jobs from standard input and answers on standard output, one at a time. A job is two
frames (JSON parameters, then the raw document bytes); the answer is one JSON frame,
`{"ok": true, "value": ...}` or `{"ok": false, "error": "..."}`. A frame is an 8-byte big-endian
length and that many bytes. Only JSON comes back, so a document that subverts a parser in here
cannot hand the parent process anything but data.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

HEADER = 8
NICENESS = 10  # conversations (Rasa, actions) win the CPU over reading documents


def frame(payload: bytes) -> bytes:
    """One frame: the length, then the bytes."""
    return len(payload).to_bytes(HEADER, "big") + payload


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's bytes; None when the parent closed the pipe."""
    header = stream.read(HEADER)
    if len(header) < HEADER:
        return None
    size = int.from_bytes(header, "big")
    payload = stream.read(size)
    return payload if len(payload) == size else None


def load(spec: str) -> Callable[[bytes, dict[str, Any]], Any]:
    """The function named 'package.module:function'."""
    module, _, name = spec.partition(":")
    job: Callable[[bytes, dict[str, Any]], Any] = getattr(importlib.import_module(module), name)
    return job


def serve(job: Callable[[bytes, dict[str, Any]], Any], inp: BinaryIO, out: BinaryIO) -> None:
    """Answer jobs until the input ends."""
    while True:
        params, data = read_frame(inp), None
        if params is not None:
            data = read_frame(inp)
        if params is None or data is None:
            return
        try:
            answer = {"ok": True, "value": job(data, json.loads(params))}
        except Exception as exc:  # noqa: BLE001 - a bad document must not end the worker
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        out.write(frame(json.dumps(answer).encode("utf-8")))
        out.flush()


def main(argv: list[str]) -> int:
    """Serve the job named on the command line over stdin/stdout."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.nice(NICENESS)
    job = load(argv[1])
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a library's print() must not corrupt the answers
    serve(job, inp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
