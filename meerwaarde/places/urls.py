from django.urls import path

from meerwaarde.places import views

app_name = "places"
urlpatterns = [path("zoek/", views.autocomplete, name="autocomplete")]
