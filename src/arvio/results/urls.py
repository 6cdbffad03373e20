from django.urls import path

from arvio.results import views

app_name = "results"
urlpatterns = [
    path("", views.results_page, name="page"),
    path("download/", views.download, name="download"),
]
