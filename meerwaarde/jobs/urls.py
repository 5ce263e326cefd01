# Included under /organisaties/<slug>/taken/.
from django.urls import path

from meerwaarde.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/voortgang/", views.job_progress, name="progress"),
    path("<int:pk>/annuleren/", views.job_cancel, name="cancel"),
    path("<int:pk>/opnieuw/", views.job_retry, name="retry"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
