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
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "staff", "password": "wrong"})
    response = client.post(LOGIN, {"username": "staff", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "staff/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"try again in {minutes} minutes".encode() in response.content


def test_it_locks_out_only_that_username(client, staff, viewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "staff", "password": "wrong"})
    response = client.post(LOGIN, {"username": "viewer", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_it_shows_the_lockout_page_in_the_users_language(client, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(LOGIN, {"username": "staff", "password": "wrong"})
    assert response.status_code == 429
    assert b'<html lang="sv">' in response.content
