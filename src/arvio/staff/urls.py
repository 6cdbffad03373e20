from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from arvio.staff import accounts, records, views

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.rounds, name="rounds"),
    path("records/", records.records_page, name="records"),
    path("records/csv/", records.records_csv, name="records_csv"),
    path("rounds/<slug:code>/", views.round_detail, name="round"),
    path("rounds/<slug:code>/send-invitations/", views.send_invitations, name="send_invitations"),
    path("rounds/<slug:code>/send-reminders/", views.send_reminders, name="send_reminders"),
    path("rounds/<slug:code>/close/", views.close_round, name="close_round"),
    path("rounds/<slug:code>/mail/<int:mail_id>/send-again/", views.resend_mail, name="resend_mail"),
    # A municipality is named by its three-digit code, "049" Espoo.
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/$", views.invitation_detail, name="invitation"),
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/new-link/$", views.new_link, name="new_link"),
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/extend/$", views.extend, name="extend"),
]

# Accounts (accounts.py): an organizer by its code, an account by its id.
urlpatterns += [
    path("accounts/", accounts.accounts, name="accounts"),
    path("accounts/invite/", accounts.account_invite_view, name="account_invite"),
    path("accounts/<slug:organizer>/<int:account_id>/", accounts.account_detail, name="account"),
    path("accounts/<slug:organizer>/<int:account_id>/role/", accounts.account_role, name="account_role"),
    path(
        "accounts/<slug:organizer>/<int:account_id>/deactivate/",
        accounts.account_deactivate_view,
        name="account_deactivate",
    ),
    path("accounts/<slug:organizer>/<int:account_id>/resend/", accounts.account_resend, name="account_resend"),
    path("set-password/<uidb64>/<token>/", accounts.AccountSetPasswordView.as_view(), name="account_set_password"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
]
