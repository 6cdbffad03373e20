"""Settings come from the environment; production refuses insecure ones."""

import os
import subprocess
import sys

GOOD_PRODUCTION = {
    "ARVIO_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "arvio.example.fi",
    "ARVIO_BASE_URL": "https://arvio.example.fi",
    "DATABASE_URL": "postgres://arvio:secret@db.example.fi:5432/arvio",
    "EMAIL_HOST": "smtp.example.fi",
}


def load_settings(tmp_path, **environ):
    env = {key: value for key, value in os.environ.items() if key not in GOOD_PRODUCTION and key != "DEBUG"}
    env.update(environ, ARVIO_VAR_DIR=str(tmp_path))
    code = "import arvio.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_it_runs_in_development_with_nothing_set(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.mail.backends.console.EmailBackend",
    ]
    # The development key is generated once and kept.
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert load_settings(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_it_starts_in_production_with_secure_settings(tmp_path):
    result = load_settings(tmp_path, **GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.postgresql",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_it_refuses_insecure_production_settings(tmp_path):
    for name, bad in [
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", "*"),
        ("ARVIO_BASE_URL", "http://arvio.example.fi"),
        ("DATABASE_URL", ""),
        ("DEBUG", "true"),
        ("EMAIL_HOST", ""),
    ]:
        result = load_settings(tmp_path, **{**GOOD_PRODUCTION, name: bad})
        assert result.returncode != 0, name
        assert "Insecure production settings" in result.stderr, (name, result.stderr)


def test_it_names_a_malformed_value(tmp_path):
    result = load_settings(tmp_path, DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
