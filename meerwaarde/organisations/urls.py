from django.urls import path

from meerwaarde.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("wissel/", views.switch, name="switch"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/bewerken/", views.edit, name="edit"),
    path("<slug:slug>/gebruikers/", views.members, name="members"),
    path("<slug:slug>/gebruikers/uitnodigen/", views.invite, name="invite"),
    path("<slug:slug>/gebruikers/<int:pk>/rol/", views.member_role, name="member_role"),
    path("<slug:slug>/gebruikers/<int:pk>/verwijderen/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
