"""The digest is a kind of notice (``notices``): a member's "no digest" becomes their choice of
no e-mail of that kind, chosen from now on with their other e-mails."""

from django.db import migrations, models

DIGEST_NOTICE_KIND = "community_digest"


def digest_choice_to_notices(apps, schema_editor):  # type: ignore[no-untyped-def]
    Membership = apps.get_model("community", "Membership")
    NoticePreference = apps.get_model("notices", "NoticePreference")
    user_ids = Membership.objects.filter(receives_digest=False).values_list(
        "person__user_id", flat=True
    )
    NoticePreference.objects.bulk_create(
        [NoticePreference(user_id=pk, kind=DIGEST_NOTICE_KIND, email=False) for pk in user_ids],
        ignore_conflicts=True,
    )


def notices_to_digest_choice(apps, schema_editor):  # type: ignore[no-untyped-def]
    Membership = apps.get_model("community", "Membership")
    NoticePreference = apps.get_model("notices", "NoticePreference")
    refused = NoticePreference.objects.filter(kind=DIGEST_NOTICE_KIND, email=False)
    Membership.objects.filter(person__user_id__in=refused.values("user_id")).update(
        receives_digest=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_one_calendar_feed"),
        ("notices", "0001_notices"),
    ]

    operations = [
        migrations.RunPython(digest_choice_to_notices, notices_to_digest_choice, elidable=True),
        migrations.RemoveField(model_name="membership", name="receives_digest"),
        migrations.AlterField(
            model_name="digest",
            name="sent_count",
            field=models.PositiveIntegerField(default=0, verbose_name="members sent to"),
        ),
    ]
