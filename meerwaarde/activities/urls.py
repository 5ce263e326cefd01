# Included under /organisaties/<slug>/activiteiten/.
from django.urls import path

from meerwaarde.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("aanbod/<int:offer_pk>/<int:year>/<int:month>/", views.record_form, name="record_form"),
    path("<int:pk>/verwijderen/", views.delete, name="delete"),
]
