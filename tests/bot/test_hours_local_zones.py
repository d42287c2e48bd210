"""The service-hours tests again under machine time zones other than CI's UTC.

A mistake that reads the machine's local time (`astimezone()` without a zone, `datetime.now()`,
`date.today()`) passes on a UTC machine; in Jakarta, New York and Kiritimati (UTC+14, already
tomorrow in Jakarta's evening) it shows. Each zone runs the hours tests in a fresh interpreter
(TZ is read at start).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOURS_TESTS = ("tests/bot/test_hours.py", "tests/bot/test_hours_config.py")


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "America/New_York", "Pacific/Kiritimati"])
def test_hours_tests_pass_under_a_local_time_zone(zone: str) -> None:
    assert Path("/usr/share/zoneinfo", zone).is_file(), f"tzdata lacks {zone}"
    env = {**os.environ, "TZ": zone}
    check = subprocess.run(
        [sys.executable, "-c", "import time; print(time.strftime('%z'))"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() != "+0000"  # the zone really is in force
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *HOURS_TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
