# Included under /organisaties/<slug>/metingen/. A new measurement hangs under its trajectory.
from django.urls import path

from meerwaarde.measurements import views

app_name = "measurements"
urlpatterns = [
    path("trajecten/<int:trajectory_pk>/nieuw/", views.create, name="create"),
    path("trajecten/<int:trajectory_pk>/berekenen/", views.preview, name="preview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/corrigeren/", views.correct, name="correct"),
    path("<int:pk>/geschiedenis/", views.history, name="history"),
]
