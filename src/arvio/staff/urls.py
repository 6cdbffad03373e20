from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from arvio.staff import records, round_editor, views

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
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/new-link/$", views.new_link, name="new_link"),
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/extend/$", views.extend, name="extend"),
]
