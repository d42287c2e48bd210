"""Several processes starting together on one PostgreSQL database (hosts of the scaled stack)
migrate it once: the advisory lock makes the others wait and find the schema current."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.settings import ROOT

pytestmark = pytest.mark.postgres
UPGRADE = "import sys; from bot.db import make_engine, upgrade; upgrade(make_engine(sys.argv[1]))"


def test_four_processes_upgrading_an_empty_database_together_all_succeed(postgres_url) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE, postgres_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=180), p.stderr.read() if p.stderr else "") for p in processes]
    assert [code for code, _ in results] == [0, 0, 0, 0], [err[-800:] for _, err in results]
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        heads = connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one()
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert {"tickets", "conversation_labels", "faq_misses"} <= tables
    assert heads >= 2  # every branch head recorded once
