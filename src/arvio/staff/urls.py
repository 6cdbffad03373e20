from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from arvio.staff import (
    accounts,
    comparison,
    invitation_pages,
    publication,
    records,
    responses_upload,
    round_editor,
    round_new,
    round_preview,
    sending,
    views,
)

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.rounds, name="rounds"),
    path("records/", records.records_page, name="records"),
    path("records/csv/", records.records_csv, name="records_csv"),
    path("rounds/new/", round_new.round_new, name="round_new"),
    path("rounds/<slug:code>/", views.round_detail, name="round"),
    path("rounds/<slug:code>/preview/<str:lang>/", round_preview.round_preview, name="round_preview"),
    path("rounds/<slug:code>/send-invitations/", sending.send_invitations, name="send_invitations"),
    path("rounds/<slug:code>/send-reminders/", sending.send_reminders, name="send_reminders"),
    path("rounds/<slug:code>/close/", views.close_round, name="close_round"),
    path("rounds/<slug:code>/publication/", publication.publication_page, name="publication"),
    path("rounds/<slug:code>/publication/send-feedback/", publication.send_feedback, name="send_feedback"),
    path("rounds/<slug:code>/publication/publish/", publication.publish, name="publish"),
    path("rounds/<slug:code>/publication/withdraw/", publication.withdraw, name="withdraw"),
    path("rounds/<slug:code>/mail/<int:mail_id>/send-again/", views.resend_mail, name="resend_mail"),
    path("rounds/<slug:code>/comparison/", comparison.round_comparison, name="round_comparison"),
    path("rounds/<slug:code>/comparison/baseline/", comparison.comparison_baseline, name="comparison_baseline"),
    path("rounds/<slug:code>/comparison/mapping/", comparison.comparison_mapping_add, name="comparison_mapping_add"),
    path(
        "rounds/<slug:code>/comparison/mapping/<int:row_id>/remove/",
        comparison.comparison_mapping_remove,
        name="comparison_mapping_remove",
    ),
    # The round's editors and the check before opening (round_editor.py).
    path("rounds/<slug:code>/settings/", round_editor.round_settings, name="round_settings"),
    path("rounds/<slug:code>/scale/", round_editor.round_scale, name="round_scale"),
    path("rounds/<slug:code>/questions/", round_editor.round_questions, name="round_questions"),
    path("rounds/<slug:code>/tree/", round_editor.round_tree, name="round_tree"),
    path("rounds/<slug:code>/tree/add/", round_editor.node_add_view, name="node_add"),
    path("rounds/<slug:code>/tree/<slug:node_code>/edit/", round_editor.node_edit_view, name="node_edit"),
    path("rounds/<slug:code>/tree/<slug:node_code>/delete/", round_editor.node_delete_view, name="node_delete"),
    path("rounds/<slug:code>/tree/<slug:node_code>/move/", round_editor.node_move_view, name="node_move"),
    path("rounds/<slug:code>/check/", round_editor.round_check_view, name="round_check"),
    # A municipality is named by its three-digit code, "049" Espoo.
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/$", views.invitation_detail, name="invitation"),
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/new-link/$", sending.new_link, name="new_link"),
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/extend/$", views.extend, name="extend"),
    # Part B of issue 8: a round's municipalities and contact people, a new link shown once, answers uploaded.
    path("rounds/<slug:code>/responses/upload/", responses_upload.responses_upload, name="responses_upload"),
    path(
        "rounds/<slug:code>/responses/upload/<uuid:upload_id>/confirm/",
        responses_upload.responses_upload_confirm,
        name="responses_upload_confirm",
    ),
    re_path(
        r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/show-link-once/$",
        sending.show_link_once,
        name="show_link_once",
    ),
    path("rounds/<slug:code>/municipalities/", invitation_pages.round_municipalities, name="round_municipalities"),
    path("rounds/<slug:code>/municipalities/add/", invitation_pages.municipality_add, name="municipality_add"),
    re_path(
        r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/remove/$",
        invitation_pages.invitation_remove_page,
        name="invitation_remove",
    ),
    re_path(
        r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/contacts/add/$",
        invitation_pages.contact_add_page,
        name="contact_add",
    ),
    re_path(
        r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/contacts/(?P<contact_id>[0-9]{1,18})/$",
        invitation_pages.contact_edit_page,
        name="contact_edit",
    ),
    re_path(
        r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/contacts/(?P<contact_id>[0-9]{1,18})/remove/$",
        invitation_pages.contact_delete_page,
        name="contact_delete",
    ),
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
