"""bench/answering.py runs end to end on a tiny round and finds every submission as it was sent.

Slow (about a minute: a PostgreSQL cluster of its own, gunicorn, two clients): `pytest -m slow`
runs it alone, `pytest -m "not slow"` leaves it out. Nothing of the figures is asserted.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/usr/lib/postgresql/15/bin/initdb").exists(), reason="needs PostgreSQL 15's binaries"),
    pytest.mark.skipif(shutil.which("runuser") is None, reason="needs runuser to start PostgreSQL as its account"),
]


def test_it_runs_and_loses_nothing():
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "answering.py"),
            "--respondents",
            "20",
            "--clients",
            "2",
            "--duration",
            "short",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = [line for line in run.stdout.splitlines() if "in the database:" in line]
    assert len(summary) == 1
    assert "0 lost, 0 duplicated, 0 stray" in summary[0]
    assert " 0 errors" in run.stdout
    assert "login page (floor)" in run.stdout
