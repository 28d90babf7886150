from django.db import migrations

# The matrix in the platform's own words, as it was when this migration was written (the
# structure follows the UK Home Office's 7 Lenses maturity matrix, 2019); later edits of the
# wording go in new migrations.
LENSES = [
    (
        "vision",
        "חזון",
        "Vision",
        "מבהיר לאן השינוי מוביל ומה ישתנה לאזרח ולארגון כשיצליח.",
        "Makes clear where the change leads and what will differ for citizens and the "
        "organization when it succeeds.",
        [
            (
                "אין עדיין תמונה משותפת של היעד; כל אחד מתאר את הפרויקט אחרת.",
                "There is no shared picture of the destination yet; each person describes the "
                "project differently.",
            ),
            (
                "יש ניסוח ראשון של החזון, אך הוא כללי ורק הצוות המוביל מכיר אותו.",
                "A first wording of the vision exists, but it is general and only the core team "
                "knows it.",
            ),
            (
                "החזון כתוב, מתאר תוצאות לאזרח ומוכר לשותפים העיקריים.",
                "The vision is written down, describes outcomes for citizens and is known to the "
                "main partners.",
            ),
            (
                "החזון מנחה החלטות: הצוות והשותפים בודקים מולו סדרי עדיפויות ופשרות.",
                "The vision guides decisions: the team and partners test priorities and "
                "trade-offs against it.",
            ),
            (
                "החזון חי בארגון כולו, מתעדכן לפי מה שנלמד ומשמש שפה משותפת גם מחוץ לפרויקט.",
                "The vision lives across the organization, is updated by what is learned and "
                "serves as a shared language beyond the project.",
            ),
        ],
    ),
    (
        "design",
        "עיצוב התהליך",
        "Design",
        "מתאר איך השירות, התהליכים והמבנה יתוכננו מחדש כדי לממש את החזון.",
        "Describes how the service, processes and structure will be redesigned to realize "
        "the vision.",
        [
            (
                "התהליך הקיים מועתק למסך; לא נבדק מה המשתמשים צריכים.",
                "The existing process is copied onto a screen; what users need has not been "
                "examined.",
            ),
            (
                "מופו הבעיות העיקריות בתהליך, אך התכנון נעשה בלי המשתמשים.",
                "The main problems of the process are mapped, but design happens without users.",
            ),
            (
                "התהליך מתוכנן מחדש עם משתמשים אמיתיים, באבות טיפוס שנבדקים בשטח.",
                "The process is redesigned with real users, through prototypes tested in the "
                "field.",
            ),
            (
                "העיצוב כולל את כל הגורמים בשרשרת, כולל ממשקים בין יחידות וארגונים.",
                "The design covers the whole chain, including the handovers between units and "
                "organizations.",
            ),
            (
                "העיצוב משתפר ברציפות לפי נתוני שימוש ומשוב, והידע משותף עם פרויקטים אחרים.",
                "The design improves continuously from usage data and feedback, and what is "
                "learned is shared with other projects.",
            ),
        ],
    ),
    (
        "plan",
        "תכנית",
        "Plan",
        "מתרגם את החזון לצעדים, משאבים ולוחות זמנים, גמיש מספיק כדי להשתנות בדרך.",
        "Turns the vision into steps, resources and timelines, flexible enough to change on "
        "the way.",
        [
            (
                "אין תכנית עבודה; הפעולות נעשות כשמתפנה זמן.",
                "There is no work plan; actions happen when someone has time.",
            ),
            (
                "יש רשימת משימות, בלי אבני דרך, תקציב או בעלי תפקידים ברורים.",
                "There is a task list, without milestones, budget or clear owners.",
            ),
            (
                "יש תכנית עם אבני דרך, תקציב ואחראים, והיא נבדקת מדי פעם.",
                "There is a plan with milestones, budget and owners, checked from time to time.",
            ),
            (
                "התכנית מתעדכנת במחזורים קצרים לפי מה שנלמד, והסיכונים מנוהלים בגלוי.",
                "The plan is updated in short cycles from what is learned, and risks are "
                "managed openly.",
            ),
            (
                "התכנית משולבת בתכנון הארגוני הרב-שנתי ומבטיחה המשך אחרי סיום הפרויקט.",
                "The plan is part of the organization's multi-year planning and secures "
                "continuity after the project ends.",
            ),
        ],
    ),
    (
        "leadership",
        "הובלה",
        "Leadership",
        "מגייס אנשים רבים, גם כאלה שאינם כפופים לפרויקט, לפעול יחד למען השינוי.",
        "Moves many people, including those who do not report to the project, to act together "
        "for the change.",
        [
            (
                "הפרויקט נשען על אדם אחד; אין גיבוי מההנהלה.",
                "The project rests on one person; there is no backing from management.",
            ),
            (
                "יש מנהל תומך, אך התמיכה מילולית ואינה מתורגמת להחלטות או למשאבים.",
                "A supportive manager exists, but the support is verbal and does not turn into "
                "decisions or resources.",
            ),
            (
                "ההנהלה מעורבת, מקבלת החלטות בזמן ומסירה חסמים.",
                "Management is involved, decides in time and removes obstacles.",
            ),
            (
                "ההובלה מבוזרת: מובילים בכמה יחידות לוקחים אחריות על חלקים מהשינוי.",
                "Leadership is shared: leaders in several units own parts of the change.",
            ),
            (
                "ההובלה מעודדת ניסוי ולמידה מכישלון, ומצמיחה מובילים חדשים בארגון.",
                "Leadership encourages experiment and learning from failure, and grows new "
                "leaders in the organization.",
            ),
        ],
    ),
    (
        "collaboration",
        "שיתוף פעולה",
        "Collaboration",
        "בונה עבודה משותפת עם יחידות, ארגונים ומגזרים אחרים סביב צרכי האזרח.",
        "Builds joint work with other units, organizations and sectors around citizens' needs.",
        [
            (
                "הפרויקט נעשה בתוך יחידה אחת, בלי קשר לגורמים הנוגעים בדבר.",
                "The project is done inside one unit, without contact with those it affects.",
            ),
            (
                "גורמים אחרים מעודכנים מדי פעם, אך אינם שותפים להחלטות.",
                "Others are informed from time to time, but take no part in decisions.",
            ),
            (
                "יש שותפים קבועים מיחידות או מארגונים אחרים, עם פורום עבודה משותף.",
                "There are regular partners from other units or organizations, with a joint "
                "working forum.",
            ),
            (
                "השותפים חולקים מטרות, נתונים ומשאבים, ופותרים יחד חסמים בין-ארגוניים.",
                "Partners share goals, data and resources, and solve cross-organizational "
                "obstacles together.",
            ),
            (
                "שיתוף הפעולה הפך לדרך העבודה הרגילה וכולל גם את החברה האזרחית והאזרחים.",
                "Collaboration has become the usual way of working and includes civil society "
                "and citizens.",
            ),
        ],
    ),
    (
        "accountability",
        "אחריותיות",
        "Accountability",
        "קובע מי אחראי למה, איך מחליטים ואיך מודדים התקדמות.",
        "Sets who is responsible for what, how decisions are made and how progress is measured.",
        [
            (
                "לא ברור מי מחליט ומי אחראי; אין מדדים.",
                "It is unclear who decides and who is responsible; there are no measures.",
            ),
            (
                "יש אחראי לפרויקט, אך ההחלטות נעשות באופן לא פורמלי ואין מעקב.",
                "The project has an owner, but decisions are informal and nothing is tracked.",
            ),
            (
                "יש מבנה היגוי, תחומי אחריות מוגדרים ומדדי תפוקה שנבדקים.",
                "There is a steering structure, defined responsibilities and output measures "
                "that are checked.",
            ),
            (
                "ההתקדמות נמדדת בתוצאות לאזרח, והדיווח שקוף לשותפים ולהנהלה.",
                "Progress is measured in outcomes for citizens, and reporting is open to "
                "partners and management.",
            ),
            (
                "המדידה מזינה החלטות באופן שוטף, והתוצאות מפורסמות גם מחוץ לארגון.",
                "Measurement feeds decisions continuously, and results are published beyond "
                "the organization.",
            ),
        ],
    ),
    (
        "people",
        "אנשים",
        "People",
        "דואג שלעובדים יהיו הכישורים, התפקידים והמוטיבציה לעבוד בדרך החדשה.",
        "Makes sure staff have the skills, roles and motivation to work in the new way.",
        [
            (
                "העובדים אינם מכירים את השינוי או חוששים ממנו.",
                "Staff do not know about the change or fear it.",
            ),
            (
                "העובדים מעודכנים, אך לא הוכשרו ולא שותפו.",
                "Staff are informed, but have not been trained or involved.",
            ),
            (
                "העובדים המושפעים מעורבים בתכנון ומקבלים הכשרה לכלים החדשים.",
                "The staff affected take part in design and are trained in the new tools.",
            ),
            (
                "תפקידים ותהליכי עבודה הוגדרו מחדש, ויש מי שמלווה את העובדים בשינוי.",
                "Roles and ways of working have been redefined, and someone supports staff "
                "through the change.",
            ),
            (
                "העובדים מובילים שיפורים בעצמם; הכישורים הדיגיטליים הם חלק מהפיתוח המקצועי.",
                "Staff lead improvements themselves; digital skills are part of professional "
                "development.",
            ),
        ],
    ),
]


def load(apps, schema_editor):
    Lens = apps.get_model("maturity", "Lens")
    LensLevel = apps.get_model("maturity", "LensLevel")
    for position, (key, name_he, name_en, purpose_he, purpose_en, levels) in enumerate(LENSES):
        lens, _created = Lens.objects.update_or_create(
            key=key,
            defaults={
                "position": position,
                "name_he": name_he,
                "name_en": name_en,
                "purpose_he": purpose_he,
                "purpose_en": purpose_en,
            },
        )
        for level, (text_he, text_en) in enumerate(levels, 1):
            LensLevel.objects.update_or_create(
                lens=lens, level=level, defaults={"text_he": text_he, "text_en": text_en}
            )


def unload(apps, schema_editor):
    apps.get_model("maturity", "Lens").objects.filter(key__in=[k for k, *_ in LENSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("maturity", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
