"""In production every cookie Arvio sets is Secure, HttpOnly and __Host- prefixed: the session's, CSRF's and the
language's, whether set or deleted.

The settings are read once per process, so production runs in a subprocess of its own (as in test_settings.py),
with its real middleware and static files, behind the TLS proxy it expects (X-Forwarded-Proto: https).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_settings import GOOD_PRODUCTION

ROOT = Path(__file__).resolve().parent.parent

# Logs in, switches the language, opens a personal link and saves with a button, printing each Set-Cookie.
SCRIPT = """
import json
from datetime import timedelta

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from arvio.invitations.links import link_create
from arvio.lib.dates import local_date
from arvio.staff.models import Membership
from tests.factories import make_organizer, make_round

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
user = get_user_model().objects.create_user(username="staff", password="correct horse battery")
Membership.objects.create(user=user, organizer=make_organizer(), role=Membership.Role.STAFF)
today = local_date(timezone.now())
invitation = make_round(opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30)).invitations.first()

PROXY = {"HTTP_HOST": "arvio.example.fi", "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
seen = []


def record(step, response):
    assert response.status_code < 400, (step, response.status_code)
    for name, morsel in response.cookies.items():
        seen.append(
            {
                "step": step,
                "name": name,
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "path": morsel["path"],
                "domain": morsel["domain"],
                "deleted": morsel.value == "",
            }
        )


staff = Client(**PROXY)
record("login page", staff.get("/staff/login/"))
record("login", staff.post("/staff/login/", {"username": "staff", "password": "correct horse battery"}))
record("language switch", staff.post("/i18n/setlang/", {"language": "sv", "next": "/staff/"}))
record("logout", staff.post("/staff/logout/"))

respondent = Client(**PROXY)
record("opened link", respondent.get(f"/a/{link_create(invitation=invitation)}/"))
record("answer form", respondent.get("/answer/"))
record("draft saved with a button", respondent.post("/answer/", {"version": "0", "action": "save"}))
record("language switch on the form", respondent.post("/answer/", {"version": "1", "switch_language": "sv"}))
print(json.dumps(seen))
"""


def test_it_sets_every_cookie_secure_in_production(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in GOOD_PRODUCTION and key != "DEBUG"}
    env.update(
        GOOD_PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'arvio.sqlite3'}",
        ARVIO_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="arvio.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]),
    )
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    cookies = json.loads(result.stdout.strip().splitlines()[-1])

    steps = {cookie["step"] for cookie in cookies}
    names = {cookie["name"] for cookie in cookies}
    # Each kind of cookie was really set (and the session's deleted, at logout), so that "all Secure" says
    # something about each.
    assert {"login page", "login", "language switch", "logout", "opened link"} <= steps, cookies
    assert names == {"__Host-arvio_session", "__Host-csrftoken", "__Host-arvio_language"}, cookies
    assert [cookie for cookie in cookies if not cookie["secure"]] == []
    assert any(cookie["deleted"] for cookie in cookies if cookie["step"] == "logout"), cookies
    # None of them is read by a script.
    assert [cookie for cookie in cookies if not cookie["httponly"] and not cookie["deleted"]] == []
    # What the __Host- prefix asks of a cookie, or the browser would drop it: the whole host, and no domain.
    assert [cookie for cookie in cookies if cookie["path"] != "/" or cookie["domain"]] == []
