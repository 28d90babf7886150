from django.contrib import admin

from .models import (
    Attendance,
    Cohort,
    CompositionTarget,
    Enrollment,
    EnrollmentStatusChange,
    LearningDomain,
    Program,
    ProgramRole,
    Session,
)


class LearningDomainInline(admin.TabularInline):
    model = LearningDomain
    extra = 0


class ProgramRoleInline(admin.TabularInline):
    model = ProgramRole
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name_he", "kind", "hours_target", "is_active")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = (LearningDomainInline, ProgramRoleInline)


class CompositionTargetInline(admin.TabularInline):
    model = CompositionTarget
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name_he", "program", "start_date", "end_date", "target_size")
    list_filter = ("program",)
    inlines = (CompositionTargetInline,)


class StatusChangeInline(admin.TabularInline):
    model = EnrollmentStatusChange
    extra = 0
    readonly_fields = ("from_status", "to_status", "changed_at", "changed_by", "note")
    can_delete = False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("person", "cohort", "status")
    list_filter = ("status", "cohort__program")
    search_fields = ("person__user__email", "person__user__last_name")
    list_select_related = ("person__user", "cohort__program")
    autocomplete_fields = ("person",)
    inlines = (StatusChangeInline,)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "cohort", "kind", "starts_on", "hours")
    list_filter = ("kind", "cohort__program")
    list_select_related = ("cohort__program",)
    date_hierarchy = "starts_on"


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("person", "session", "status", "partial_hours")
    list_filter = ("status",)
    list_select_related = ("person__user", "session")
    autocomplete_fields = ("person",)
    raw_id_fields = ("session",)
