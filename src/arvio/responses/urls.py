from django.urls import path

from arvio.responses import views

app_name = "responses"
urlpatterns = [
    path("a/<str:token>/", views.open_link, name="open_link"),
    path("answer/", views.answer, name="answer"),
]
