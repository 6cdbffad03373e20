from django.urls import path

from arvio.public import feedback

# Under the respondent's link session, beside the answer form's pages.
app_name = "feedback"
urlpatterns = [
    path("answer/feedback/", feedback.feedback_page, name="page"),
    path("answer/feedback/pdf/", feedback.feedback_download, name="pdf"),
]
