from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from arvio.staff import publication, records, views

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
    path("rounds/<slug:code>/publication/", publication.publication_page, name="publication"),
    path("rounds/<slug:code>/publication/send-feedback/", publication.send_feedback, name="send_feedback"),
    path("rounds/<slug:code>/publication/publish/", publication.publish, name="publish"),
    path("rounds/<slug:code>/publication/withdraw/", publication.withdraw, name="withdraw"),
    path("rounds/<slug:code>/mail/<int:mail_id>/send-again/", views.resend_mail, name="resend_mail"),
    # A municipality is named by its three-digit code, "049" Espoo.
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/$", views.invitation_detail, name="invitation"),
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/new-link/$", views.new_link, name="new_link"),
    re_path(r"^rounds/(?P<code>[-\w]+)/(?P<municipality_code>[0-9]{3})/extend/$", views.extend, name="extend"),
]
