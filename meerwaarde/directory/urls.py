from django.urls import path

from meerwaarde.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("plaatsen/", views.place_options, name="place_options"),
    path("aanbod/<int:pk>/", views.offer_detail, name="offer"),
    path("aanbod/<int:pk>/afdrukken/", views.offer_print, name="offer_print"),
    path("aanbod/<int:pk>/<slug:slug>/", views.offer_detail_slug, name="offer_slug"),
]
