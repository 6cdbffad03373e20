from django.urls import path

from arvio.staff import curation

app_name = "curation"
urlpatterns = [
    path("excerpts/", curation.excerpts, name="excerpts"),
    path("excerpts/<int:pk>/", curation.excerpt_edit, name="excerpt_edit"),
    path("excerpts/<int:pk>/move/", curation.excerpt_move_view, name="excerpt_move"),
    path("excerpts/<int:pk>/delete/", curation.excerpt_delete_view, name="excerpt_delete"),
    path("narrative/<str:language>/", curation.narrative, name="narrative"),
]
