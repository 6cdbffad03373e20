"""The shipped gunicorn.conf.py, run for real: no personal link's token in its access or error log."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MAKE_LINK = """
import django
django.setup()
from arvio.invitations.links import link_create
from tests.factories import make_round
round = make_round()
print(link_create(invitation=round.invitations.get(municipality__code="235")))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


@pytest.fixture
def server(tmp_path):
    """gunicorn with the shipped configuration, DEBUG off, on SQLite in a folder of its own."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "ARVIO_ENV", "DEBUG")}
    env.update(
        ARVIO_VAR_DIR=str(tmp_path / "var"),
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="arvio.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        ARVIO_BIND=f"127.0.0.1:{port}",
        ARVIO_WORKERS="1",
    )
    subprocess.run([sys.executable, "-m", "arvio", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    made = subprocess.run([sys.executable, "-c", MAKE_LINK], env=env, cwd=ROOT, check=True, capture_output=True)
    token = made.stdout.decode().strip().splitlines()[-1]
    access, error = tmp_path / "access.log", tmp_path / "error.log"
    with access.open("wb") as out, error.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=err,
        )
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None:
                        pytest.fail("gunicorn did not start: " + error.read_text())
                    time.sleep(0.1)
            yield port, token, lambda: (access.read_text(), error.read_text())
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_it_keeps_tokens_out_of_gunicorns_logs(server):
    port, token, logs = server
    wrong = token[:-4] + "abcd"
    assert _get(port, f"/a/{token}/") == 302
    assert _get(port, f"/a/{wrong}/") == 404
    assert _get(port, f"/a/{wrong}/?from=mail") == 404
    assert _get(port, "/accessibility/", Referer=f"http://127.0.0.1:{port}/a/{token}/") == 200
    time.sleep(0.5)
    access, error = logs()
    assert access.count("GET /a/***/") == 3, access
    assert f"http://127.0.0.1:{port}/a/***/" in access  # the referer
    assert "Not Found: /a/***/" in error, error
    for log in (access, error):
        assert token not in log
        assert wrong not in log
        assert token[:20] not in log
