"""The community's part of the demo: clusters, members, events over two years, 240 knowledge
items in Hebrew, discussions and a digest. The texts are composed from our own templates over
the topics members of the transformation community asked about (docs: DOMAIN "The
digital-transformation community"). Loading twice changes nothing: everything is found by its
natural key (names, titles) before it is created.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from movilim.people.models import Person
from movilim.programs.models import Program, Session

from . import services
from .models import (
    Cluster,
    Digest,
    Discussion,
    Event,
    KnowledgeItem,
    Membership,
    Registration,
    RegistrationStatus,
)

COUNTED: tuple[tuple[str, type[Model]], ...] = (
    ("community members", Membership),
    ("clusters", Cluster),
    ("community events", Event),
    ("knowledge items", KnowledgeItem),
    ("discussions", Discussion),
    ("digests", Digest),
)

SEED = "movilim-demo:community"
ITEMS = 240

# --- the vocabulary ---------------------------------------------------------------------------

TOPICS = (
    ("עיצוב שירות", "שירות ועיצוב"),
    ("מחקר משתמשים", "שירות ועיצוב"),
    ("טפסים מקוונים", "שירות ועיצוב"),
    ("נגישות דיגיטלית", "שירות ועיצוב"),
    ("שיתוף מידע בין משרדים", "נתונים ושיתוף מידע"),
    ("מידע פתוח", "נתונים ושיתוף מידע"),
    ("ניהול נתונים", "נתונים ושיתוף מידע"),
    ("בינה מלאכותית בשירות הציבורי", "נתונים ושיתוף מידע"),
    ("רכש חדשנות", "רכש וטכנולוגיה"),
    ("מעבר לענן", "רכש וטכנולוגיה"),
    ("אבטחת מידע", "רכש וטכנולוגיה"),
    ("פיתוח אג'ילי", "רכש וטכנולוגיה"),
    ("הובלת שינוי ארגוני", "הובלת שינוי"),
    ("ממשק הטכנולוגיה והעסק", "הובלת שינוי"),
    ("חסמים משפטיים", "הובלת שינוי"),
    ("מדידת תוצאות", "הובלת שינוי"),
    ("רשויות בבשלות דיגיטלית נמוכה", "רשויות מקומיות"),
    ("צמצום פערים חברתיים", "רשויות מקומיות"),
    ("שירות לתושב ברשות המקומית", "רשויות מקומיות"),
    ("מוקד דיגיטלי עירוני", "רשויות מקומיות"),
)
CLUSTERS = (
    ("שירות ועיצוב", "Service and design", "עיצוב שירותים סביב האזרח, מחקר משתמשים ונגישות."),
    ("נתונים ושיתוף מידע", "Data and sharing", "נתונים, מידע פתוח והעברת מידע בין גופים."),
    ("רכש וטכנולוגיה", "Procurement and technology", "רכש חדשנות, ענן, אבטחת מידע ופיתוח."),
    ("הובלת שינוי", "Leading change", "מנהיגות, שינוי ארגוני, חסמים ומדידה."),
    ("רשויות מקומיות", "Local authorities", "טרנספורמציה דיגיטלית ברשויות המקומיות."),
)
SETTINGS = (
    "משרד ממשלתי",
    "רשות מקומית",
    "יחידת מטה",
    "יחידת ביצוע",
    "מוקד שירות",
    "עמותה",
)
OUTCOMES = (
    "זמן הטיפול בבקשה ירד משבועות לימים",
    "מספר הפניות הטלפוניות ירד בשליש",
    "שיעור ההגשות המקוונות עלה לרוב הפניות",
    "הצוות אימץ שגרת עבודה של ספרינטים קצרים",
    "נחתם הסכם לשיתוף נתונים בין שני משרדים",
    "התושבים דיווחו על שביעות רצון גבוהה יותר",
)
LESSONS = (
    "להתחיל מבעיה אמיתית של האזרח ולא מהטכנולוגיה",
    "לשתף את היועץ המשפטי כבר בשלב האפיון",
    "לבנות צוות משותף של אנשי תוכן ואנשי טכנולוגיה",
    "למדוד לפני ואחרי, ולפרסם את התוצאות",
    "להריץ פיילוט קטן לפני מכרז גדול",
    "לגייס את ההנהלה הבכירה כשותפה ולא רק כמאשרת",
    "לתעד את התהליך כדי שאחרים יוכלו לשכפל אותו",
)
TOOLS = ("תבנית", "רשימת בדיקה", "מחשבון", "מפת בעלי עניין", "מדריך צעד אחר צעד", "מצגת")
ROLES = ("מנהלת דיגיטל", "ראש אגף", "מנהל פרויקט", "יועצת לשינוי ארגוני", "מהנדס נתונים")
STAGES = ("אפיון", "תכנון", "יישום", "הטמעה", "הערכה")
TAGS = ("אזרח במרכז", "למידת עמיתים", "פיילוט", "שותפות", "מדידה", "חדשנות", "מנהיגות")


@dataclass(frozen=True)
class ItemText:
    kind: str
    title: str
    summary: str
    body: str
    tags: str
    cluster: str
    link: str = ""


def item_texts(rng: random.Random, count: int, *, spread: int = 99) -> Iterator[ItemText]:
    """``count`` knowledge items composed from the templates, each unique by title; titles
    carry a number up to ``spread``, which must leave room for ``count`` of them."""
    seen: set[str] = set()
    while len(seen) < count:
        topic, cluster = rng.choice(TOPICS)
        setting = rng.choice(SETTINGS)
        outcome, lesson = rng.choice(OUTCOMES), rng.choice(LESSONS)
        stage, role, tool = rng.choice(STAGES), rng.choice(ROLES), rng.choice(TOOLS)
        kind = rng.choice(("case", "post", "tool", "practice", "podcast", "video", "document"))
        number = rng.randint(1, spread)
        title, link = {
            "case": (f"ניתוח אירוע: {topic} ב{setting} ({number})", ""),
            "post": (f"מה למדנו על {topic} – רשומה {number}", ""),
            "tool": (f"{tool} ל{topic}, גרסה {number}", ""),
            "practice": (f"פרקטיקה מומלצת: {topic} בשלב ה{stage} ({number})", ""),
            "podcast": (
                f"פודקאסט: שיחה עם {role} על {topic}, פרק {number}",
                f"https://podcasts.example.org.il/community/{number}",
            ),
            "video": (
                f"הרצאה מוקלטת: {topic} ({number})",
                f"https://video.example.org.il/community/{number}",
            ),
            "document": (f"מדריך: {topic} – {stage}, מהדורה {number}", ""),
        }[kind]
        if title in seen:
            continue
        seen.add(title)
        body = (
            f"## הרקע\n\nב{setting} עסקנו ב{topic}. השאלה הייתה איך לשים את האזרח במרכז "
            f"ולא את מבנה הארגון.\n\n## מה עשינו\n\nבשלב ה{stage} עבדנו עם {role} "
            f"ועם צוות מעורב, והרצנו פיילוט קטן.\n\n## התוצאה\n\n{outcome}.\n\n"
            f"## הלקח\n\n- {lesson}\n- {rng.choice(LESSONS)}\n"
        )
        tags = ", ".join(sorted({topic, *rng.sample(TAGS, 2)}))
        yield ItemText(kind, title, f"{outcome}: {topic} ב{setting}.", body, tags, cluster, link)


EVENTS = (
    # (days from today, kind, title, in person?, place, capacity, hours)
    (-640, "workday", "יום עבודה של הרשת: פרויקטים בדרך", True, "ירושלים", 120),
    (-550, "meeting", "מפגש קהילה: העברת מידע בין משרדים", True, "תל אביב", 60),
    (-470, "showcase", "תצוגות קצרות: שלושה שירותים שנולדו מחדש", False, "", None),
    (-380, "modular", "אירוע מודולרי: בוחרים מסלול – נתונים, רכש או שירות", True, "חיפה", 90),
    (-300, "meeting", "מפגש קהילה: רכש חדשנות בלי לפחד", False, "", 80),
    (-210, "workday", "יום עבודה של הרשת: למידת עמיתים מהצלחות ומכישלונות", True, "ירושלים", 120),
    (-120, "showcase", "תצוגות קצרות: כלים שעובדים ברשויות", False, "", None),
    (-40, "meeting", "מפגש קהילה: בינה מלאכותית בשירות לאזרח", True, "באר שבע", 50),
    (25, "workday", "יום עבודה של הרשת: מובילים את הגל הבא", True, "ירושלים", 100),
    (70, "modular", "אירוע מודולרי: סדנאות לבחירה על עיצוב שירות", True, "תל אביב", 40),
    (130, "meeting", "מפגש קהילה: חסמים משפטיים ואיך עוברים אותם", False, "", 3),
    (200, "showcase", "תצוגות קצרות: פרויקטים של מחזור ג'", False, "", None),
)

DISCUSSIONS = (
    (-200, -170, "העברת מידע בין משרדים: מה באמת חוסם?", True),
    (-90, -60, "איך מודדים הצלחה של שירות דיגיטלי?", True),
    (-5, 20, "רכש חדשנות: איך קונים פתרון שעוד לא קיים?", False),
    (30, 60, "מה נרצה ללמוד ביום העבודה הבא?", False),
)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def load(*, today: date) -> None:
    rng = random.Random(SEED)  # noqa: S311 - demo data
    network = Program.objects.filter(slug="network").first()
    if network is None:
        return
    services.fellows_admit_graduates(today=today)
    participant = Person.objects.filter(user__email="participant@example.org.il").first()
    if participant is not None:
        services.membership_add(person=participant, program=network, kind="member", today=today)
    fellows = list(
        Person.objects.filter(community_membership__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    if not fellows:
        return
    # A few members offer their experience as consultants and lecturers.
    pool = fellows[:: max(len(fellows) // 8, 1)][:8]
    Membership.objects.filter(person__in=pool[:5]).update(kind="consultant")
    Membership.objects.filter(person__in=pool[5:]).update(kind="lecturer")

    clusters = {}
    for name_he, name_en, description in CLUSTERS:
        cluster, _ = Cluster.objects.get_or_create(
            name_he=name_he,
            defaults={"name_en": name_en, "description": description, "program": network},
        )
        clusters[name_he] = cluster
        if not cluster.members.exists():
            cluster.members.add(*rng.sample(fellows, min(12, len(fellows))))

    _events(rng, network, fellows, today)
    if not KnowledgeItem.objects.exists():
        for number, text in enumerate(item_texts(rng, ITEMS)):
            KnowledgeItem.objects.create(
                program=network,
                kind=text.kind,
                title=text.title,
                summary=text.summary,
                body=text.body,
                link=text.link,
                tags=text.tags,
                cluster=clusters[text.cluster],
                author=fellows[(number * 7) % len(fellows)],
                published_on=today - timedelta(days=(number * 3) % 720),
            )
    for opens, closes, title, closed in DISCUSSIONS:
        discussion, created = Discussion.objects.get_or_create(
            title=title,
            defaults={
                "program": network,
                "framing": f"{title}\n\nשתפו ניסיון מהשטח: מה עבד, מה לא, ומה הייתם עושים אחרת.",
                "opens_on": today + timedelta(days=opens),
                "closes_on": today + timedelta(days=closes),
            },
        )
        if created and opens <= 0:
            for writer in rng.sample(fellows, min(4, len(fellows))):
                discussion.replies.create(author=writer, body=rng.choice(LESSONS) + ".")
        if created and closed:
            services.discussion_close(
                discussion=discussion,
                summary=f"**סיכום:** {rng.choice(LESSONS)}; {rng.choice(LESSONS)}.",
            )
    if not Digest.objects.filter(program=network).exists():
        Digest.objects.create(
            program=network,
            period_start=today - timedelta(days=30),
            period_end=today,
            introduction="שלום לעמיתות ולעמיתים, הנה מה שחדש בקהילה החודש.",
        )


def _events(rng: random.Random, network: Program, fellows: list[Person], today: date) -> None:
    sessions = list(
        Session.objects.filter(
            cohort__program=network, community_event__isnull=True, starts_on__gt=today
        ).order_by("starts_on")
    )
    for days, kind, title, in_person, place, capacity in EVENTS:
        if Event.objects.filter(title=title).exists():
            continue
        day = today + timedelta(days=days)
        session = sessions.pop(0) if kind == "workday" and days > 0 and sessions else None
        event = Event.objects.create(
            program=network,
            kind=kind,
            title=title,
            description=(
                "בתכנית: למידת עמיתים, הרצאה קצרה ושיחה בקבוצות קטנות.\n\n"
                "- פתיחה והיכרות\n- הצגת מקרים מהשטח\n- עבודה בקבוצות"
            ),
            starts_on=session.starts_on if session else day,
            starts_at=time(9, 0) if in_person else time(17, 0),
            ends_at=time(15, 0) if in_person else time(18, 30),
            online=not in_person,
            location=place or "זום",
            capacity=capacity,
            session=session,
        )
        event.speakers.add(*rng.sample(fellows, min(2, len(fellows))))
        for person in rng.sample(fellows, min(len(fellows), (capacity or 40) + 3)):
            full = (
                capacity is not None
                and event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
                >= capacity
            )
            Registration.objects.create(
                event=event,
                person=person,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                requested_at=_aware(event.starts_on - timedelta(days=14), time(10, 0)),
                attended=(rng.random() < 0.8) if days < 0 and not full else None,
            )
