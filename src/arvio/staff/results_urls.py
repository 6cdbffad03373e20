from django.urls import path

from arvio.staff import results as views

app_name = "results"
urlpatterns = [
    path("", views.results_page, name="page"),
    path("download/", views.download, name="download"),
]
