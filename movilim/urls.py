"""Top-level addresses. Every view requires login unless it opts out (LoginRequiredMiddleware)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from movilim.core import accounts
from movilim.core import views as core_views
from movilim.portal.views import home

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found


urlpatterns = [
    path("", home, name="home"),
    path("health/", core_views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/", accounts.PasswordChangeView.as_view(), name="password_change"
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
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
    path(
        "accounts/invitation/<uidb64>/<token>/",
        accounts.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("admin/", admin.site.urls),
    path("", include("movilim.programs.urls")),
    path("", include("movilim.notices.urls")),  # /notices/… and the calendar feed
    path("projects/", include("movilim.projects.urls")),
    path("maturity/", include("movilim.maturity.urls")),
    path("surveys/", include("movilim.surveys.urls")),
    path("evaluation/", include("movilim.evaluation.urls")),
    path("community/", include("movilim.community.urls")),
    path("search/", include("movilim.search.urls")),
]
