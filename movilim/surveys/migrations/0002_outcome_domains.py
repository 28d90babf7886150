"""The outcome domains of the program's evaluation studies; evaluators may add and rename."""

from django.db import migrations

DOMAINS = (
    ("knowledge", "ידע", "Knowledge"),
    ("perceptions", "תפיסות", "Perceptions"),
    ("tools_skills", "כלים ומיומנויות", "Tools and skills"),
    ("empowerment", "העצמה", "Empowerment"),
    ("role_perception", "תפיסת תפקיד", "Role perception"),
    ("ties", "קשרים מקצועיים", "Professional ties"),
    ("satisfaction", "שביעות רצון", "Satisfaction"),
    ("projects", "פרויקטים", "Projects"),
)


def seed(apps, schema_editor):
    OutcomeDomain = apps.get_model("surveys", "OutcomeDomain")
    for position, (key, name_he, name_en) in enumerate(DOMAINS):
        OutcomeDomain.objects.get_or_create(
            key=key, defaults={"name_he": name_he, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
