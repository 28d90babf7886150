"""Knowledge items (uploads checked before reading, served as attachments, Markdown cleaned),
discussions framed in time, membership and what profiles show. (Digests: ``test_digests.py``.)"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from movilim.community import services
from movilim.community.models import Digest, KnowledgeItem, Membership, Reply
from movilim.community.text import render_markdown, whatsapp_link
from movilim.core import uploads
from movilim.core.errors import InvalidInput
from movilim.programs.models import Enrollment

from . import helpers

pytestmark = pytest.mark.usefixtures("module_world")


def _item_form(**extra):
    return {
        "kind": "document",
        "title": "מדריך לרכש חדשנות",
        "summary": "",
        "body": "",
        "link": "",
        "tags": "רכש",
        "cluster": "",
        "submission_token": "0b7a1c4e-1d2f-4a3b-8c9d-0e1f2a3b4c5d",
        **extra,
    }


def test_a_member_uploads_a_document_served_as_an_attachment(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    helpers.members(world)
    client = client_for("participant")
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.7 body", content_type="application/pdf")
    response = client.post(reverse("community:item_create"), _item_form(upload=upload))
    item = KnowledgeItem.objects.get(title="מדריך לרכש חדשנות")
    assert response.status_code == 302
    assert item.author == world.participant_person and item.program == world.program
    download = client.get(reverse("community:item_file", args=[item.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.7 body"


def test_uploads_are_refused_by_size_and_by_content(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    helpers.members(world)
    client = client_for("participant")
    fake = SimpleUploadedFile("guide.pdf", b"<script>", content_type="application/pdf")
    response = client.post(reverse("community:item_create"), _item_form(upload=fake))
    assert response.status_code == 400
    assert "תוכן הקובץ" in response.content.decode() or "content" in response.content.decode()
    exe = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("community:item_create"),
        _item_form(upload=exe, submission_token="1b7a1c4e-1d2f-4a3b-8c9d-0e1f2a3b4c5d"),
    )
    assert response.status_code == 400
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 10, content_type="application/pdf")
    big.size = uploads.MAX_DOCUMENT_BYTES + 1  # declared size: refused before reading
    with pytest.raises(InvalidInput, match="10"):
        uploads.checked_document(big)
    assert not KnowledgeItem.objects.exists()


def test_an_item_needs_text_a_link_or_a_file(world, client_for):
    helpers.members(world)
    response = client_for("participant").post(reverse("community:item_create"), _item_form())
    assert response.status_code == 400
    assert not KnowledgeItem.objects.exists()


def test_markdown_is_rendered_and_cleaned():
    html = render_markdown("**חשוב** <script>alert(1)</script> [קישור](javascript:alert(1))")
    assert "<strong>חשוב</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert (
        whatsapp_link("שלום עולם")
        == "https://wa.me/?text=%D7%A9%D7%9C%D7%95%D7%9D%20%D7%A2%D7%95%D7%9C%D7%9D"
    )


def test_the_item_page_has_a_whatsapp_link(world, client_for):
    item = helpers.item(world)
    body = client_for("participant").get(reverse("community:item", args=[item.pk])).content
    assert b"https://wa.me/?text=" in body
    assert "<strong>עיצבנו</strong>".encode() in body


def test_a_discussion_takes_replies_while_open_and_is_read_only_once_closed(world, client_for):
    discussion = helpers.discussion(world)
    client = client_for("participant")
    url = reverse("community:discussion", args=[discussion.pk])
    client.post(
        url, {"body": "ניסיון שלנו", "submission_token": "2b7a1c4e-1d2f-4a3b-8c9d-0e1f2a3b4c5d"}
    )
    assert Reply.objects.filter(discussion=discussion).count() == 1
    empty = client.post(
        url, {"body": "", "submission_token": "3b7a1c4e-1d2f-4a3b-8c9d-0e1f2a3b4c5d"}
    )
    assert empty.status_code == 400
    client_for("coordinator").post(
        reverse("community:discussion_close", args=[discussion.pk]), {"summary": "סיכום"}
    )
    discussion.refresh_from_db()
    assert discussion.closed_at is not None and discussion.summary == "סיכום"
    late = client.post(
        url, {"body": "עוד", "submission_token": "4b7a1c4e-1d2f-4a3b-8c9d-0e1f2a3b4c5d"}
    )
    assert late.status_code == 400
    assert Reply.objects.filter(discussion=discussion).count() == 1
    assert '<form method="post" class="mt-3"' not in client.get(url).content.decode()


def test_graduates_of_ended_cohorts_become_fellows_once(world):
    Enrollment.objects.filter(cohort=world.cohort).update(status="graduated")
    cohort = world.cohort
    cohort.end_date = timezone.localdate() - datetime.timedelta(days=1)
    cohort.save()
    assert services.fellows_admit_graduates(today=timezone.localdate()) == 2
    assert services.fellows_admit_graduates(today=timezone.localdate()) == 0
    membership = Membership.objects.get(person=world.participant_person)
    assert membership.kind == "fellow" and membership.cohort == cohort
    # The other cohort has not ended: its people wait.
    assert not Membership.objects.filter(person=world.outsider_person).exists()


def test_a_profile_shows_each_field_to_the_audience_its_member_chose(world, client_for):
    helpers.members(world)
    fellow = world.fellow_person
    fellow.phone = "050-1234567"
    fellow.job_title = "ראש אגף דיגיטל"
    fellow.save()
    url = reverse("community:profile", args=[fellow.pk])
    assert "050-1234567" not in client_for("participant").get(url).content.decode()
    assert "050-1234567" in client_for("coordinator").get(url).content.decode()
    membership = Membership.objects.get(person=fellow)
    services.profile_settings_update(membership=membership, visibility={"job_title": "hidden"})
    assert "ראש אגף דיגיטל" not in client_for("participant").get(url).content.decode()
    assert "ראש אגף דיגיטל" not in client_for("coordinator").get(url).content.decode()
    directory = client_for("participant").get(reverse("community:directory")).content.decode()
    assert fellow.full_name in directory and "ראש אגף דיגיטל" not in directory


def test_the_directory_filters_by_expertise_and_cluster(world, client_for):
    cluster = helpers.cluster(world)
    fellow = world.fellow_person
    fellow.expertise = "רכש, ענן"
    fellow.save()
    client = client_for("participant")

    def link(person):
        return f'href="/community/members/{person.pk}/"'

    found = client.get(reverse("community:directory"), {"expertise": "ענן"}).content.decode()
    assert link(fellow) in found and link(world.participant_person) not in found
    client.post(reverse("community:cluster_join", args=[cluster.pk]))
    in_cluster = client.get(reverse("community:directory"), {"cluster": cluster.pk}).content
    assert link(world.participant_person) in in_cluster.decode()
    assert link(fellow) not in in_cluster.decode()


def test_staff_add_a_member_who_is_not_an_alumnus(world, client_for):
    response = client_for("coordinator").post(
        reverse("community:member_add"),
        {
            "email": "ambassador@example.org",
            "first_name": "",
            "last_name": "",
            "kind": "member",
            "program": world.program.pk,
            "submission_token": "5b7a1c4e-1d2f-4a3b-8c9d-0e1f2a3b4c5d",
        },
    )
    assert response.status_code == 400  # no account yet, so a name is needed
    assert not Membership.objects.exists()
    client_for("coordinator").post(
        reverse("community:member_add"),
        {
            "email": "ambassador@example.org",
            "first_name": "שגרירה",
            "last_name": "דיגיטלית",
            "kind": "member",
            "program": world.program.pk,
            "submission_token": "6b7a1c4e-1d2f-4a3b-8c9d-0e1f2a3b4c5d",
        },
    )
    assert Membership.objects.get(person__user__email="ambassador@example.org").kind == "member"


def test_digests_are_per_program(world, client_for):
    digest = helpers.digest(world.mirrored())
    assert (
        client_for("coordinator").get(reverse("community:digest", args=[digest.pk])).status_code
        == 404
    )
    assert Digest.objects.count() == 1
