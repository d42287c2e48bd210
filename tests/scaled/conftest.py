"""The two-host tests run only in `make test-scaled` (DJPK_TEST_SCALED=1): they need root for
network namespaces, Debian's nginx, supervisor and socat, and several minutes."""

from __future__ import annotations

import os
import shutil

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = None
    if os.environ.get("DJPK_TEST_SCALED") != "1":
        reason = "two-host tests run in `make test-scaled`"
    elif os.geteuid() != 0:
        reason = "network namespaces need root"
    elif not all(shutil.which(tool) for tool in ("nginx", "supervisord", "socat")):
        reason = "nginx, supervisor and socat are not installed (make system-deps-scaled)"
    for item in items:
        if "tests/scaled/" in str(item.fspath):
            item.add_marker(pytest.mark.scaled)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
