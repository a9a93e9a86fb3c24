from django.urls import path

from branches import views

app_name = "branches"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path(
        "organizations/<int:parent_pk>/new/", views.organization_create, name="organization_create"
    ),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "organizations/<int:pk>/active/",
        views.organization_set_active,
        name="organization_set_active",
    ),
    path(
        "organizations/<int:pk>/history/", views.organization_history, name="organization_history"
    ),
    path("organizations/<int:pk>/roles/new/", views.role_assign, name="role_assign"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("members/<int:pk>/positions/new/", views.position_create, name="position_create"),
    path("members/<int:pk>/history/", views.member_history, name="member_history"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("import/<str:kind>/", views.import_upload, name="import"),
    path("import/<str:kind>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<str:kind>/template.xlsx", views.import_template, name="import_template"),
]
