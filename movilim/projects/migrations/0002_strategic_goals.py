from django.db import migrations

# The content as it was when this migration was written; later edits go in new migrations.
GOALS = [
    ("smart-government", "over_goal", "ממשל חכם וידידותי", "Smart and friendly government"),
    ("social-gaps", "over_goal", "צמצום פערים חברתיים", "Reducing social gaps"),
    ("economic-growth", "over_goal", "האצת צמיחה כלכלית", "Accelerating economic growth"),
    (
        "periphery",
        "objective",
        "קירוב הפריפריה הגיאוגרפית והחברתית",
        "Bringing the geographic and social periphery closer",
    ),
    ("cost-of-living", "objective", "הורדת יוקר המחיה", "Lowering the cost of living"),
    ("rights", "objective", "מיצוי זכויות", "Realizing rights"),
    (
        "digital-industry",
        "objective",
        "קידום תעשיות ועסקים דיגיטליים",
        "Promoting digital industries and business",
    ),
    ("employment", "objective", "פיתוח שוק התעסוקה", "Developing the employment market"),
    ("infrastructure", "objective", "פיתוח תשתיות", "Developing infrastructure"),
    (
        "public-services",
        "objective",
        "שיפור השירותים הציבוריים (חינוך, בריאות, רווחה)",
        "Improving public services (education, health, welfare)",
    ),
    (
        "less-bureaucracy",
        "objective",
        "ממשל נגיש ופחות בירוקרטיה",
        "Accessible government and less bureaucracy",
    ),
    (
        "innovative-government",
        "objective",
        "ממשל חדשני ואפקטיבי",
        "Innovative and effective government",
    ),
]


def load(apps, schema_editor):
    StrategicGoal = apps.get_model("projects", "StrategicGoal")
    for position, (key, kind, name_he, name_en) in enumerate(GOALS):
        StrategicGoal.objects.update_or_create(
            key=key,
            defaults={"kind": kind, "name_he": name_he, "name_en": name_en, "position": position},
        )


def unload(apps, schema_editor):
    apps.get_model("projects", "StrategicGoal").objects.filter(
        key__in=[key for key, *_ in GOALS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
