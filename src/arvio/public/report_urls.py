from django.urls import path

from arvio.public import reports

app_name = "reports"
urlpatterns = [
    path("<slug:organizer>/", reports.organizer_reports, name="organizer"),
    path("<slug:organizer>/<slug:round_code>/", reports.report_page, name="report"),
    path("<slug:organizer>/<slug:round_code>/<int:version>/", reports.report_page, name="version"),
    path("<slug:organizer>/<slug:round_code>/<int:version>/<str:filename>", reports.report_file, name="file"),
]
