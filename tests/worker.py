"""The mail worker, run in the tests where it would run beside the server."""

import socket
from unittest.mock import patch

from django_tasks_db.management.commands.db_worker import Worker


def run_mail_worker() -> None:
    """The real mail worker (django-tasks-db's), in batch mode: it runs every task that is due now, then stops.

    Only its connection housekeeping is left out: between tasks the worker closes a connection that is not in
    autocommit mode, which on PostgreSQL would close the test's own transaction under it (a test that runs the
    worker's command itself, with that housekeeping, uses a transactional database instead).
    """
    with patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mail_server_down(settings) -> None:
    """Points the mail settings at an SMTP address where nothing listens: every attempt is refused at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
