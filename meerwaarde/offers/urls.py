# Included under /organisaties/<slug>/aanbod/: an organisation's offers live at its address.
from django.urls import path

from meerwaarde.offers import views

app_name = "offers"
urlpatterns = [
    path("", views.offer_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("suggesties/", views.suggestions, name="suggestions"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/verwijderen/", views.delete, name="delete"),
    path("<int:pk>/pauzeren/", views.pause, name="pause"),
    path("<int:pk>/hervatten/", views.resume, name="resume"),
    path("<int:pk>/archiveren/", views.archive, name="archive"),
    path("<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("<int:pk>/plaatsen/", views.places, name="places"),
]
