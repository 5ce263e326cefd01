# Included under /organisaties/<slug>/metingen/.
from django.urls import path  # noqa: F401

app_name = "measurements"
urlpatterns: list = []
