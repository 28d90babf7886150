from django.contrib import admin

from .models import Organization, Person


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name_he", "name_en", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name_he", "name_en")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organization", "job_title", "profile_type")
    list_filter = ("profile_type", "organization__kind")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")
