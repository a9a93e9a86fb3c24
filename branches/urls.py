from django.urls import path

from branches.views import accounts, imports, members, organizations, reorganization, roles, terms

app_name = "branches"

urlpatterns = [
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization_detail"),
    path(
        "organizations/<int:parent_pk>/new/",
        organizations.organization_create,
        name="organization_create",
    ),
    path("organizations/<int:pk>/edit/", organizations.organization_edit, name="organization_edit"),
    path(
        "organizations/<int:pk>/active/",
        organizations.organization_set_active,
        name="organization_set_active",
    ),
    path(
        "organizations/<int:pk>/history/",
        organizations.organization_history,
        name="organization_history",
    ),
    path(
        "organizations/<int:pk>/reorganize/<str:kind>/",
        reorganization.reorganize,
        name="reorganize",
    ),
    path("organizations/<int:pk>/terms/", terms.term_list, name="term_list"),
    path("terms/<int:pk>/remove/", terms.term_remove, name="term_remove"),
    path("organizations/<int:pk>/roles/new/", roles.role_assign, name="role_assign"),
    path(
        "organizations/<int:pk>/member-accounts/",
        accounts.member_accounts,
        name="member_accounts",
    ),
    path("members/", members.member_list, name="member_list"),
    path("members/new/", members.member_create, name="member_create"),
    path("members/<int:pk>/", members.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", members.member_transfer, name="member_transfer"),
    path("members/<int:pk>/leave/", members.member_leave, name="member_leave"),
    path("members/<int:pk>/positions/new/", members.position_create, name="position_create"),
    path("members/<int:pk>/history/", members.member_history, name="member_history"),
    path("positions/<int:pk>/end/", members.position_end, name="position_end"),
    path("roles/", roles.role_list, name="role_list"),
    path("roles/<int:pk>/revoke/", roles.role_revoke, name="role_revoke"),
    path("import/<str:kind>/", imports.import_upload, name="import"),
    path("import/<str:kind>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<str:kind>/template.xlsx", imports.import_template, name="import_template"),
]
