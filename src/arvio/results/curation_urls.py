from django.urls import path

from arvio.results import curation

app_name = "curation"
urlpatterns = [
    path("excerpts/", curation.excerpts, name="excerpts"),
]
