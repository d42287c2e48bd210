"""Jobs for the worker pool tests, run inside worker processes (never in the test process)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any


def run(data: bytes, params: dict[str, Any]) -> dict[str, Any]:
    """Sleep, crash, raise, or start a child and hang, as the parameters say; else echo."""
    if params.get("child_pid_file"):  # like Tesseract: a child process doing the real work
        child = subprocess.Popen(["sleep", "60"])
        Path(params["child_pid_file"]).write_text(str(child.pid))
        time.sleep(60)
    if params.get("sleep"):
        time.sleep(float(params["sleep"]))
    if params.get("crash"):
        os._exit(3)
    if params.get("raise"):
        raise RuntimeError(params["raise"])
    return {"size": len(data), "pid": os.getpid(), "env": sorted(os.environ)}


def slow_read(data: bytes, params: dict[str, Any]) -> dict[str, Any]:
    """The document reader after a long stall (a PDF that keeps pypdf or Tesseract busy)."""
    from bot.letters.documents import read_job

    time.sleep(30)
    return read_job(data, params)


def crash_read(data: bytes, params: dict[str, Any]) -> dict[str, Any]:
    """The document reader dying in a parser (a segfault in a C library, say)."""
    os._exit(3)
