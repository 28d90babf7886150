"""The Django admin, for site administrators only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class AdminSite(admin.AdminSite):
    """Django's admin lets any ``is_staff`` account in and then hides what its model permissions
    do not cover; here program staff work through the application's own pages, and only site
    administrators open the admin at all."""

    site_header = site_title = "Movilim"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class MovilimAdminConfig(AdminConfig):
    default_site = "movilim.core.admin_site.AdminSite"
