from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from branches.views import accounts
from reports.summaries.home import home
from web.health import healthz, livez, robots

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("robots.txt", robots, name="robots"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/", accounts.PasswordChangeView.as_view(), name="password_change"
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("branches.urls")),
    path("", include("criteria.urls")),
    path("", include("pledges.urls")),
    path("", include("reports.urls")),
    path("", include("partydocs.urls")),
]
