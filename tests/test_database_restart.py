"""A PostgreSQL restart costs no 500: Arvio under gunicorn, with persistent connections, against a private cluster.

Each worker keeps its database connection between requests (CONN_MAX_AGE). When the server restarts, those
connections are dead; without a health check (CONN_HEALTH_CHECKS) the first request of each worker afterwards
fails with a 500. The test never touches the suite's database server: it makes a cluster of its own with initdb
in a temporary folder, on a free port, and restarts that.
"""

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
INITDB = shutil.which("initdb") or str(POSTGRES_BIN / "initdb")
PG_CTL = shutil.which("pg_ctl") or str(POSTGRES_BIN / "pg_ctl")
ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
PASSWORD = "correct horse battery"
CREATE_STAFF = f"""
from django.contrib.auth import get_user_model
from arvio.staff.models import Membership
from arvio.surveys.models import Organizer
user = get_user_model().objects.create_user(username="staff", password="{PASSWORD}")
organizer = Organizer.objects.create(code="luvn", name_fi="Länsi-Uudenmaan hyvinvointialue", name_sv="Västra Nyland")
Membership.objects.create(user=user, organizer=organizer, role=Membership.Role.STAFF)
"""

pytestmark = pytest.mark.skipif(not Path(INITDB).exists(), reason="PostgreSQL's initdb is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of the test's own. PostgreSQL refuses to run as root, so as root it runs as the
    `postgres` user that Debian's package creates."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.run(INITDB, "-D", str(self.data), "-U", "arvio", "--auth=trust", "-E", "UTF8", "--locale=C")

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = str(self.folder / "postgres.log")
        self.run(PG_CTL, "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60", action, *extra)

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="arvio", dbname=dbname, autocommit=True)

    def url(self) -> str:
        return f"postgres://arvio@127.0.0.1:{self.port}/arvio"


@pytest.fixture
def cluster():
    folder = Path(tempfile.mkdtemp(prefix="arvio-pg-"))
    cluster = Cluster(folder)
    try:
        cluster.init()
        cluster.pg_ctl("start")
        with cluster.connect() as connection:
            connection.execute("CREATE DATABASE arvio")
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            subprocess.run([*cluster.as_user, PG_CTL, "-D", str(cluster.data), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(folder, ignore_errors=True)


class Site:
    """Arvio under gunicorn, logged in as evaluation staff: urllib with a cookie jar, as a browser would."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def status(self, path: str) -> int:
        try:
            with self.opener.open(self.url + path, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log_in(self) -> None:
        with self.opener.open(self.url + "/staff/login/", timeout=60) as response:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "staff", "password": PASSWORD})
        with self.opener.open(self.url + "/staff/login/", data=form.encode(), timeout=60) as response:
            assert response.url == self.url + "/staff/", "logged in and sent on to the rounds"


@pytest.fixture
def site(cluster):
    folder = Path(tempfile.mkdtemp(prefix="arvio-gunicorn-"))
    env = {
        **os.environ,
        "ARVIO_ENV": "development",
        "DEBUG": "false",  # a failure is a real 500, not Django's debug page
        "DATABASE_URL": cluster.url(),
        "DATABASE_CONN_MAX_AGE": "600",
        "ARVIO_VAR_DIR": str(folder),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("ARVIO_TEST_DB_NAME", None)
    arvio = [sys.executable, "-m", "arvio"]
    subprocess.run([*arvio, "migrate", "--noinput"], env=env, cwd=folder, check=True, capture_output=True)
    subprocess.run([*arvio, "shell", "-c", CREATE_STAFF], env=env, cwd=folder, check=True, capture_output=True)
    port = free_port()
    log = (folder / "gunicorn.log").open("w")
    # Plain flags, from a folder of its own: gunicorn reads no configuration file but these.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "arvio.wsgi"],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    site = Site(f"http://127.0.0.1:{port}")
    try:
        for _ in range(300):
            assert server.poll() is None, (folder / "gunicorn.log").read_text()
            try:
                if site.status("/staff/login/") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start:\n" + (folder / "gunicorn.log").read_text())
        site.log_in()
        yield site
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        site.log = (folder / "gunicorn.log").read_text()
        shutil.rmtree(folder, ignore_errors=True)


def arvio_connections(cluster: Cluster) -> int:
    with cluster.connect() as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = 'arvio' AND pid <> pg_backend_pid()"
        return connection.execute(query).fetchone()[0]


def statuses(site: Site, count: int) -> list[int]:
    """`count` requests of the rounds page (the session, the user, the roles and the rounds are read from the
    database), several at once so that every worker serves some."""
    with ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
        return list(pool.map(lambda _: site.status("/staff/"), range(count)))


def test_it_answers_every_request_after_a_database_restart(cluster, site):
    assert statuses(site, 12) == [200] * 12
    # Each worker holds a connection of its own, kept between requests: the ones the restart will break.
    assert arvio_connections(cluster) == WORKERS

    cluster.pg_ctl("restart", "-m", "fast")
    assert arvio_connections(cluster) == 0

    after = statuses(site, 24)
    assert after == [200] * 24, f"statuses after the restart: {after}"
    assert arvio_connections(cluster) == WORKERS
