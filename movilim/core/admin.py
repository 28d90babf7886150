from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .invitations import invite_users
from .models import AccountEvent, Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, keyed by e-mail since there are no user names."""

    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "is_superuser")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record kept as evidence: listed and opened, never added, edited or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "email", "user", "ip")
    list_filter = ("kind",)
    search_fields = ("email", "ip")
    date_hierarchy = "at"
    list_select_related = ("user",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("user", "state", "queued_at", "sent_at", "accepted_at", "send_count")
    list_filter = ("state",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    actions = ("send_again",)

    @admin.action(description=_("Send the invitation again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        user_ids = list(queryset.values_list("user_id", flat=True))
        queued = invite_users(user_ids=user_ids, by=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", queued)
            % {"count": queued},
            messages.SUCCESS,
        )
