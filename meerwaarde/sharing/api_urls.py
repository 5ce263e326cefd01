# Included under /api/v1/.
from django.urls import path

from meerwaarde.sharing import api_views

app_name = "sharing_api"
urlpatterns = [
    path("shared/", api_views.SharedListView.as_view(), name="shared_list"),
    path("shared/<int:pk>/", api_views.SharedFiguresView.as_view(), name="shared"),
    path("impact/<slug:slug>/", api_views.ImpactPageView.as_view(), name="impact"),
]
