"""A bounded load test of the answering path: gunicorn on PostgreSQL, many respondents at once (docs/performance.md).

    .venv/bin/python bench/answering.py [--respondents 1000] [--clients 16] [--duration 120]
    .venv/bin/python bench/answering.py --clients 1,2,4,8,16,32      # one phase per concurrency: where it saturates

What it does, all on this machine (loopback only), and it stops by itself:

1. makes a private PostgreSQL cluster in a temporary folder (initdb, as the postgres account when run
   as root) on a free port, or uses --postgres URL (an empty scratch database);
2. migrates it and makes a round open today: --goals rated goals (default 40, four themes of ten
   sub-goals under one document), two open questions, the five-step scale, and --respondents invited
   municipalities per phase, each with a personal link;
3. runs gunicorn with the repository's gunicorn.conf.py (ARVIO_WORKERS, default 3) on PostgreSQL;
4. each of C clients (its own cookies, as a browser) takes respondents one at a time and answers as a
   person with answer.js does: GET /a/<token>/ → the redirect → the form; --autosaves autosaves (the
   JSON endpoint, with the draft version each save returns, a few answers more each time); "Review"
   (a save posted by the button) → the summary; submit with the name → the receipt page. Between
   steps it asks for the staff login page, the floor: a page that renders a template and touches
   no answer;
5. stops when every respondent is done or --duration seconds have passed (a flow under way then is
   finished), then checks in the database that every submission holds exactly what was sent last
   (0 lost), once (0 duplicated), and that no unfinished flow left a submission.

Prints p50/p95/p99 of each kind of request and its p95 as a ratio to the login page's p95.
"""

import argparse
import asyncio
import contextlib
import logging
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PG_BIN = Path("/usr/lib/postgresql/15/bin")
ROUND_CODE = "bench-answering"
THEMES = 4
KINDS = ("open link", "form", "autosave", "review save", "review", "submit", "done", "login page (floor)")
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of its own in a temporary folder, on a free loopback port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *command: str, **kwargs):
        if self.as_root:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, check=True, capture_output=True, **kwargs)

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.folder, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "pg.log"),
            "-w",
            "start",
        )
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "arvio")
        return f"postgres://postgres@127.0.0.1:{self.port}/arvio"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


def codes(count: int) -> list[str]:
    import itertools
    import string

    alphabet = string.ascii_lowercase + string.digits
    return [
        "".join(chars)
        for chars in itertools.islice(itertools.product(string.ascii_lowercase, alphabet, alphabet), count)
    ]


def setup_round(respondents: int, goals: int) -> tuple[list[str], list[str], list[int], list[str]]:
    """The round, its invitations and links: (tokens, rated goal codes, scale values, question codes)."""
    from django.utils import timezone

    from arvio.invitations.links import link_create
    from arvio.invitations.models import Invitation
    from arvio.lib.dates import local_date
    from arvio.surveys.models import Municipality, Node, Organizer, Question, Round, ScaleOption

    today = local_date(timezone.now())
    organizer, _ = Organizer.objects.get_or_create(code="bench", defaults={"name_fi": "Bench", "name_sv": "Bench"})
    round = Round.objects.create(
        organizer=organizer,
        code=ROUND_CODE,
        title_fi="Kuormituskysely",
        title_sv="Belastningsenkät",
        dont_know_label_fi="En osaa sanoa",
        dont_know_label_sv="Kan inte säga",
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=30),
    )
    for value in range(1, 6):
        ScaleOption.objects.create(round=round, value=value, label_fi=f"Arvo {value}", label_sv=f"Värde {value}")
    document = Node.objects.create(
        round=round, kind=Node.Kind.DOCUMENT, code="strategia", order=1, text_fi="Strategia", text_sv="Strategi"
    )
    rated = []
    per_theme = max(1, goals // THEMES)
    for theme_number in range(THEMES):
        theme = Node.objects.create(
            round=round,
            parent=document,
            kind=Node.Kind.GOAL,
            code=f"teema-{theme_number}",
            order=theme_number,
            text_fi=f"Teema {theme_number}",
            text_sv=f"Tema {theme_number}",
            summary_row=True,
        )
        count = per_theme if theme_number < THEMES - 1 else goals - per_theme * (THEMES - 1)
        for number in range(count):
            code = f"tavoite-{theme_number}-{number}"
            Node.objects.create(
                round=round,
                parent=theme,
                kind=Node.Kind.SUBGOAL,
                code=code,
                order=number,
                text_fi=f"Tavoite {theme_number}.{number}: kunta ja hyvinvointialue toimivat yhdessä.",
                text_sv=f"Mål {theme_number}.{number}: kommunen och välfärdsområdet samarbetar.",
            )
            rated.append(code)
    questions = ["kehittaminen", "muuta"]
    for order, code in enumerate(questions):
        Question.objects.create(round=round, code=code, order=order, text_fi=f"Kysymys {code}", text_sv=f"Fråga {code}")
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=code, name_fi=f"Kunta {code}", name_sv=f"Kommun {code}", language="fi")
        for code in codes(respondents)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(round=round, municipality=municipality, order=index)
        for index, municipality in enumerate(municipalities)
    )
    tokens = [link_create(invitation=invitation) for invitation in invitations]
    return tokens, rated, list(range(1, 6)), questions


@dataclass
class Flow:
    """One respondent's answers as the client sent them, and whether the submission went through."""

    index: int
    token: str
    ratings: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    submitted: bool = False
    started: bool = False


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    errors: list[str] = field(default_factory=list)


async def timed(stats: Stats, kind: str, request, expect: int):
    started = time.perf_counter()
    try:
        response = await request
    except Exception as error:  # a refused or timed-out connection is an error of the run, not a crash of it
        stats.errors.append(f"{kind}: {type(error).__name__}: {error}")
        return None
    stats.times[kind].append(time.perf_counter() - started)
    if response.status_code != expect:
        stats.errors.append(f"{kind}: HTTP {response.status_code}, expected {expect}")
        return None
    return response


async def respondent(client, base: str, flow: Flow, stats: Stats, rated, scale, questions, autosaves: int, rng):
    """One respondent's visit: open the link, autosave, review, submit. Returns when done or on an error."""
    flow.started = True
    json_headers = {"X-Requested-With": "fetch", "Accept": "application/json"}
    if await timed(stats, "open link", client.get(f"{base}/a/{flow.token}/"), 302) is None:
        return
    page = await timed(stats, "form", client.get(f"{base}/answer/"), 200)
    if page is None:
        return
    version, csrf = int(VERSION.search(page.text).group(1)), CSRF.search(page.text).group(1)
    await timed(stats, "login page (floor)", client.get(f"{base}/staff/login/"), 200)
    goals = list(rated)
    rng.shuffle(goals)
    step = max(1, len(goals) // max(1, autosaves))
    for save in range(autosaves):
        for code in goals[save * step : (save + 1) * step]:
            flow.ratings[code] = rng.choice([*(str(value) for value in scale), "eos"])
        if save == autosaves - 1:
            flow.comments[questions[0]] = f"Vastaaja {flow.index}: yhteistyö toimii, kiitos {rng.randint(1, 10**6)}."
        data = {"csrfmiddlewaretoken": csrf, "version": str(version), **_fields(flow)}
        response = await timed(stats, "autosave", client.post(f"{base}/answer/", data=data, headers=json_headers), 200)
        if response is None:
            return
        version = response.json()["version"]
        if save == 0:
            await timed(stats, "login page (floor)", client.get(f"{base}/staff/login/"), 200)
    for code in goals[autosaves * step :]:
        flow.ratings[code] = rng.choice([str(value) for value in scale])
    data = {"csrfmiddlewaretoken": csrf, "version": str(version), "action": "review", **_fields(flow)}
    if await timed(stats, "review save", client.post(f"{base}/answer/", data=data), 302) is None:
        return
    version += 1
    if await timed(stats, "review", client.get(f"{base}/answer/review/"), 200) is None:
        return
    data = {"csrfmiddlewaretoken": csrf, "version": str(version), "name": f"Kaisa {flow.index}", "role": ""}
    if await timed(stats, "submit", client.post(f"{base}/answer/submit/", data=data), 302) is None:
        return
    flow.submitted = True
    await timed(stats, "done", client.get(f"{base}/answer/done/"), 200)


def _fields(flow: Flow) -> dict[str, str]:
    return {
        **{f"g-{code}": value for code, value in flow.ratings.items()},
        **{f"q-{code}": text for code, text in flow.comments.items()},
    }


async def run_phase(
    base: str, flows: list[Flow], clients: int, duration: float, autosaves: int, rated, scale, questions
):
    import httpx

    stats = Stats()
    queue: asyncio.Queue[Flow] = asyncio.Queue()
    for flow in flows:
        queue.put_nowait(flow)
    deadline = time.monotonic() + duration

    async def client_loop(number: int):
        rng = random.Random(number)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        while time.monotonic() < deadline:
            try:
                flow = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            # A browser of its own per respondent: its own session and cookies.
            async with httpx.AsyncClient(timeout=60, limits=limits, follow_redirects=False) as client:
                await respondent(client, base, flow, stats, rated, scale, questions, autosaves, rng)

    started = time.perf_counter()
    await asyncio.gather(*(client_loop(number) for number in range(clients)))
    return stats, time.perf_counter() - started


async def warm_up(base: str, flows: list[Flow], workers: int, autosaves: int, rated, scale, questions):
    """Every worker imports its code and compiles its templates before anything is measured."""
    await run_phase(base, flows, workers, 60.0, autosaves, rated, scale, questions)


def check_database(flows: list[Flow]) -> tuple[int, int, int]:
    """(lost, duplicated, stray): submissions that do not hold exactly what was sent, submitted more
    than once, or present for a flow whose submission did not go through."""
    from arvio.responses.models import DONT_KNOW, Response

    by_token_index = {flow.index: flow for flow in flows}
    lost = duplicated = stray = 0
    code_of = {flow.index: codes(flow.index + 1)[-1] for flow in flows}
    responses = {
        response.invitation.municipality.code: response
        for response in Response.objects.filter(invitation__round__code=ROUND_CODE)
        .select_related("invitation__municipality")
        .prefetch_related("answers__node", "comments__question")
    }
    for index, flow in by_token_index.items():
        response = responses.get(code_of[index])
        submitted = response is not None and response.submitted_at is not None
        if not flow.submitted:
            stray += submitted
            continue
        if not submitted:
            lost += 1
            continue
        if response.submission_count != 1:
            duplicated += 1
        answers = {
            answer.node.code: DONT_KNOW if answer.value is None else str(answer.value)
            for answer in response.answers.all()
        }
        comments = {comment.question.code: comment.text for comment in response.comments.all()}
        if answers != flow.ratings or comments != flow.comments:
            lost += 1
    return lost, duplicated, stray


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def report(stats: Stats, elapsed: float, clients: int) -> None:
    floor = percentile(stats.times["login page (floor)"], 0.95)
    count = sum(len(times) for times in stats.times.values())
    print(
        f"\n{clients} clients: {count} requests in {elapsed:.1f} s ({count / elapsed:.1f} requests/s), {len(stats.errors)} errors"
    )
    print(f"  {'request':<20} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95 × floor':>12}")
    for kind in KINDS:
        times = stats.times[kind]
        if not times:
            continue
        p50, p95, p99 = (percentile(times, share) * 1000 for share in (0.50, 0.95, 0.99))
        print(f"  {kind:<20} {len(times):>6} {p50:8.1f} {p95:8.1f} {p99:8.1f} {p95 / 1000 / floor:12.2f}")
    for error in stats.errors[:10]:
        print(f"  error: {error}")


def duration_seconds(text: str) -> float:
    return {"short": 20.0}.get(text) or float(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=1000, help="respondents per phase (default 1000)")
    parser.add_argument(
        "--clients", default="16", help="concurrent clients; a comma-separated list runs one phase each"
    )
    parser.add_argument(
        "--duration", type=duration_seconds, default=300.0, help="at most this many seconds per phase ('short': 20)"
    )
    parser.add_argument("--goals", type=int, default=40)
    parser.add_argument("--autosaves", type=int, default=3, help="autosaves per respondent (default 3)")
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("ARVIO_WORKERS", "3")), help="gunicorn workers"
    )
    parser.add_argument("--postgres", metavar="URL", help="an empty scratch database instead of a private cluster")
    arguments = parser.parse_args()
    phases = [int(clients) for clients in arguments.clients.split(",")]

    folder = Path(tempfile.mkdtemp(prefix="arvio-answering-"))
    cluster = None
    server = None
    try:
        if arguments.postgres:
            url = arguments.postgres
        else:
            cluster = Cluster(folder)
            url = cluster.start()
        env = {key: value for key, value in os.environ.items() if key not in ("ARVIO_ENV", "DEBUG")}
        env.update(
            DATABASE_URL=url,
            DEBUG="false",
            DJANGO_SETTINGS_MODULE="arvio.settings",
            ARVIO_VAR_DIR=str(folder / "var"),
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]),
        )
        os.environ.update(
            {key: env[key] for key in ("DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "ARVIO_VAR_DIR")}
        )
        subprocess.run([sys.executable, "-m", "arvio", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        import django

        django.setup()
        from django.db import connection

        # httpx tells of every request at INFO, which the project's logging would print.
        logging.getLogger("httpx").setLevel(logging.WARNING)

        started = time.perf_counter()
        tokens, rated, scale, questions = setup_round(
            arguments.respondents * len(phases) + 2 * arguments.workers, arguments.goals
        )
        spare = [
            Flow(index=index, token=tokens[index]) for index in range(len(tokens) - 2 * arguments.workers, len(tokens))
        ]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        connection.close()
        print(f"{version}; nproc {os.cpu_count()}; {_memory()}; gunicorn workers {arguments.workers}")
        print(
            f"round: {len(rated)} rated goals, {len(tokens)} respondents with links ({time.perf_counter() - started:.1f} s)"
        )

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env.update(ARVIO_BIND=f"127.0.0.1:{port}", ARVIO_WORKERS=str(arguments.workers))
        log = (folder / "gunicorn.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for(port)
        asyncio.run(warm_up(base, spare, arguments.workers, arguments.autosaves, rated, scale, questions))
        failed = False
        for number, clients in enumerate(phases):
            flows = [
                Flow(index=index, token=tokens[index])
                for index in range(number * arguments.respondents, (number + 1) * arguments.respondents)
            ]
            load_before = os.getloadavg()[0]
            stats, elapsed = asyncio.run(
                run_phase(base, flows, clients, arguments.duration, arguments.autosaves, rated, scale, questions)
            )
            report(stats, elapsed, clients)
            lost, duplicated, stray = check_database(flows)
            connection.close()
            submitted = sum(flow.submitted for flow in flows)
            started_flows = sum(flow.started for flow in flows)
            print(
                f"  respondents: {started_flows} started, {submitted} submitted; in the database: "
                f"{lost} lost, {duplicated} duplicated, {stray} stray; load average {load_before:.2f} → {os.getloadavg()[0]:.2f}"
            )
            failed = failed or bool(lost or duplicated or stray or stats.errors)
        return 1 if failed else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if cluster is not None:
            from django.db import connections

            connections.close_all()
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _memory() -> str:
    with open("/proc/meminfo") as meminfo:
        total = int(meminfo.readline().split()[1])
    return f"{total / 1024 / 1024:.1f} GiB memory"


def _wait_for(port: int) -> None:
    for _attempt in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


if __name__ == "__main__":
    sys.exit(main())
