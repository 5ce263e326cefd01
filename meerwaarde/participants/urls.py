# Included under /organisaties/<slug>/deelnemers/. No URL carries a client reference: finding
# and erasing by reference are POST forms.
from django.urls import path

from meerwaarde.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("zoeken/", views.find, name="find"),
    path("wissen/", views.erase, name="erase"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/trajecten/nieuw/", views.trajectory_create, name="trajectory_create"),
    path("trajecten/<int:pk>/", views.trajectory_detail, name="trajectory_detail"),
    path("trajecten/<int:pk>/afsluiten/", views.trajectory_end, name="trajectory_end"),
    path("trajecten/<int:pk>/doelen/", views.goals, name="goals"),
]
