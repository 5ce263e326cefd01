# Included under /organisaties/<slug>/instrumenten/.
from django.urls import path

from meerwaarde.instruments import views

app_name = "instruments"
urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/uitzetten/", views.deactivate, name="deactivate"),
    path("<int:pk>/aanzetten/", views.activate, name="activate"),
]
