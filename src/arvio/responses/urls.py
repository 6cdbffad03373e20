from django.urls import path

from arvio.responses import views

app_name = "responses"
urlpatterns = [
    path("a/<str:token>/", views.open_link, name="open_link"),
    path("answer/", views.answer, name="answer"),
    path("answer/review/", views.review, name="review"),
    path("answer/submit/", views.submit, name="submit"),
    path("answer/done/", views.done, name="done"),
]
