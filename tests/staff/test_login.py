from django.urls import reverse

LOGIN = "/staff/login/"


def test_it_shows_the_login_form(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'autocomplete="current-password"' in response.content
    assert b"Log out" not in response.content


def test_it_logs_staff_in_and_goes_to_the_rounds(client, staff):
    response = client.post(LOGIN, {"username": "staff", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.url == reverse("staff:rounds")
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_it_says_when_the_password_is_wrong(client, staff):
    response = client.post(LOGIN, {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert b'class="error-summary"' in response.content
    assert b'aria-invalid="true"' in response.content
    assert "_auth_user_id" not in client.session


def test_it_shows_a_logout_button_to_logged_in_staff(client, staff):
    client.force_login(staff)
    response = client.get(reverse("staff:rounds"))
    assert b'action="/staff/logout/"' in response.content
    assert b"Log out" in response.content


def test_it_logs_out(client, staff):
    client.force_login(staff)
    response = client.post("/staff/logout/")
    assert response.status_code == 302
    assert response.url == reverse("staff:login")
    assert "_auth_user_id" not in client.session


def test_it_locks_out_after_too_many_failed_logins(client, staff, settings):
    for _ in range(settings.ARVIO_LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "staff", "password": "wrong"})
    response = client.post(LOGIN, {"username": "staff", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "staff/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"try again in {minutes} minutes".encode() in response.content


def test_it_locks_out_only_that_username(client, staff, viewer, settings):
    for _ in range(settings.ARVIO_LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "staff", "password": "wrong"})
    response = client.post(LOGIN, {"username": "viewer", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_it_shows_the_lockout_page_in_the_users_language(client, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    for _ in range(settings.ARVIO_LOGIN_FAILURE_LIMIT + 1):
        response = client.post(LOGIN, {"username": "staff", "password": "wrong"})
    assert response.status_code == 429
    assert b'<html lang="sv">' in response.content


def _fail(client, username, address):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_it_locks_out_an_address_that_tries_many_usernames(client, staff, settings):
    for number in range(30):
        response = _fail(client, f"user{number}", "198.51.100.7")
    assert response.status_code == 429
    assert "staff/locked_out.html" in [t.name for t in response.templates]
    limit = settings.ARVIO_LOGIN_ADDRESS_FAILURE_LIMIT
    assert f"locked after {limit} failed attempts".encode() in response.content

    # A right password from that address is refused too, for a username it never tried.
    response = client.post(
        LOGIN, {"username": "staff", "password": "correct horse battery"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # From another address the same account logs in.
    response = client.post(LOGIN, {"username": "staff", "password": "correct horse battery"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_it_locks_an_address_only_at_its_own_limit(client, staff, settings):
    for number in range(settings.ARVIO_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert _fail(client, f"user{number}", "198.51.100.7").status_code == 200
    response = client.post(
        LOGIN, {"username": "staff", "password": "correct horse battery"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302


def test_it_reads_the_address_past_the_proxies(client, staff, settings):
    settings.ARVIO_PROXY_COUNT = 1
    for number in range(settings.ARVIO_LOGIN_ADDRESS_FAILURE_LIMIT):
        # The proxy appends the real address; what the client wrote itself further left changes nothing.
        client.post(
            LOGIN,
            {"username": f"user{number}", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 198.51.100.7",
        )
    locked = {"username": "staff", "password": "correct horse battery"}
    assert client.post(LOGIN, locked, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert client.post(LOGIN, locked, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302
