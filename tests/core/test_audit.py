"""Site administrators read the audit log; nobody else can."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse


def test_site_administrator_reads_who_changed_what(world, client_for) -> None:
    client_for("coordinator").post(
        reverse("programs:enrollment_status", args=[world.enrollment.pk]), {"status": "withdrew"}
    )
    entry = LogEntry.objects.filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == world.coordinator

    url = reverse("admin:auditlog_logentry_changelist")
    page = client_for("admin").get(url)
    assert page.status_code == 200
    assert str(world.enrollment) in page.content.decode()
    assert client_for("manager").get(url).status_code == 302  # to the admin login
