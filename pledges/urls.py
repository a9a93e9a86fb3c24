from django.urls import path

from pledges import registration_views, views

app_name = "pledges"

urlpatterns = [
    path(
        "plans/<int:plan_pk>/registrations/",
        registration_views.registration_list,
        name="registration_list",
    ),
    path(
        "plans/<int:plan_pk>/registrations.<str:fmt>",
        registration_views.registration_list_export,
        name="registration_export",
    ),
    path(
        "plans/<int:plan_pk>/register/<int:org_pk>/", registration_views.register, name="register"
    ),
    path("plans/<int:plan_pk>/extend/<int:org_pk>/", registration_views.extend, name="extend"),
    path("registrations/<int:pk>/withdraw/", registration_views.withdraw, name="withdraw"),
    path(
        "registrations/<int:pk>/pledge/", registration_views.current_pledge, name="current_pledge"
    ),
    path("reminders/", registration_views.remind, name="remind"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pk>/preview/", views.pledge_preview, name="pledge_preview"),
    path("pledges/<int:pk>/sign/", views.pledge_sign, name="pledge_sign"),
    path("pledges/<int:pk>/accept/", views.pledge_accept, name="pledge_accept"),
    path("pledges/<int:pk>/return/", views.pledge_return, name="pledge_return"),
    path("pledges/<int:pk>/amend/", views.pledge_amend, name="pledge_amend"),
    path("pledges/<int:pk>/discard/", views.pledge_discard, name="pledge_discard"),
    path("pledges/<int:pk>/pdf/", views.pledge_pdf_view, name="pledge_pdf"),
    path("pledges/<int:pk>/history/", views.pledge_history, name="pledge_history"),
]
