# Included under /gedeeld/<grant pk>/verantwoording/: a partner's downloads of a shared report
# (the page itself is sharing's /gedeeld/<grant pk>/, which calls views.shared_report).
from django.urls import path

from meerwaarde.reports import views

app_name = "shared_reports"
urlpatterns = [
    path("<str:fmt>/", views.shared_download, name="download"),
]
