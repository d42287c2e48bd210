"""A throwaway PostgreSQL cluster of the test's own (initdb + pg_ctl on a free port in a temporary
folder), to stop and start at will; the system server is never touched.

Skips the test when the Debian binaries (/usr/lib/postgresql/*/bin) are missing. PostgreSQL
refuses to run as root, so as root the cluster runs as the `postgres` account (runuser).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness.stack import free_port


def _bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        pytest.skip("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


class PrivatePostgres:
    """One cluster in a new folder under the system's temporary folder (pytest's tmp_path is not
    reachable by another account), on 127.0.0.1:`port` only, trust authentication."""

    def __init__(self) -> None:
        self.bin = _bin()
        self.folder = folder = Path(tempfile.mkdtemp(prefix="djpk-pg-"))
        self.data = folder / "data"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root without a postgres account for PostgreSQL")
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(folder, account.pw_uid, account.pw_gid)

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the `djpk` database."""
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/djpk"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=60)

    def create(self) -> PrivatePostgres:
        """initdb, start, and create the `djpk` database."""
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        )
        self.start()
        self._run(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "djpk",
        )
        return self

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Stop the server at once (open connections are cut)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        """Stop if running and remove the folder."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
