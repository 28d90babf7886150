"""The fixed material the demo is built from: organizations, names, titles, programs and accounts.

Kept apart from the loader so that the lists can be read (and cited in the docs) without reading
code. Organizations are real Israeli ministries and local authorities; civil-society organizations
and all people are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from movilim.core.roles import Role
from movilim.people.models import OrganizationKind
from movilim.programs.models import ProgramKind

#: One password for every demo account, long enough for the project's 12-character rule.
DEMO_PASSWORD = "movilim-demo-2026"  # noqa: S105 - a published demo password, never a real one

#: Every generated address is on this domain, so no demo message can reach a real mailbox.
DEMO_EMAIL_DOMAIN = "example.org.il"


@dataclass(frozen=True)
class DemoAccount:
    """A sign-in for trying the platform in one role; ``programs`` are the slugs the role covers."""

    email: str
    role: Role
    first_name: str
    last_name: str
    description: str
    programs: tuple[str, ...] = ()


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        email=f"admin@{DEMO_EMAIL_DOMAIN}",
        role=Role.ADMIN,
        first_name="עידו",
        last_name="פרלמן",
        description="Sees and manages every program; also signs in to the Django admin.",
    ),
    DemoAccount(
        email=f"manager@{DEMO_EMAIL_DOMAIN}",
        role=Role.MANAGER,
        first_name="רונית",
        last_name="שגיא",
        description=(
            "Runs the government and local-government tracks and the leaders network: "
            "cohorts, enrollments, sessions and attendance."
        ),
        programs=("government", "local", "network"),
    ),
    DemoAccount(
        email=f"coordinator@{DEMO_EMAIL_DOMAIN}",
        role=Role.COORDINATOR,
        first_name="אביטל",
        last_name="נחמיאס",
        description=(
            "Government and local-government tracks; the home page lists the current "
            "cohort's sessions that still need attendance."
        ),
        programs=("government", "local"),
    ),
    DemoAccount(
        email=f"evaluator@{DEMO_EMAIL_DOMAIN}",
        role=Role.EVALUATOR,
        first_name="יעל",
        last_name="ברקוביץ",
        description="Follows both tracks: rosters, composition and attendance, read-only.",
        programs=("government", "local"),
    ),
    DemoAccount(
        email=f"steering@{DEMO_EMAIL_DOMAIN}",
        role=Role.STEERING,
        first_name="משה",
        last_name="אלמקייס",
        description="Follows both tracks through aggregates only, without names.",
        programs=("government", "local"),
    ),
    DemoAccount(
        email=f"participant@{DEMO_EMAIL_DOMAIN}",
        role=Role.PARTICIPANT,
        first_name="מיכל",
        last_name="אברמוב",
        description=(
            "Member of the current government cohort (Cohort H); the home page shows the next "
            "session and the hours so far."
        ),
    ),
)


# --- organizations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSeed:
    name_he: str
    name_en: str
    kind: str
    region: str = ""
    arab: bool = False  # an Arab or Druze authority: its staff are mostly from minority populations


GOV_HQ = OrganizationKind.GOV_HQ
GOV_EXECUTION = OrganizationKind.GOV_EXECUTION
LOCAL = OrganizationKind.LOCAL_AUTHORITY
CIVIL = OrganizationKind.CIVIL_SOCIETY

NORTH, HAIFA, CENTER = "מחוז הצפון", "מחוז חיפה", "מחוז המרכז"
TEL_AVIV, JERUSALEM, SOUTH = "מחוז תל אביב", "מחוז ירושלים", "מחוז הדרום"

#: Headquarters and regulation bodies set policy for the whole government.
HQ_MINISTRIES: tuple[OrgSeed, ...] = (
    OrgSeed("משרד ראש הממשלה", "Prime Minister's Office", GOV_HQ),
    OrgSeed("משרד המשפטים", "Ministry of Justice", GOV_HQ),
    OrgSeed("משרד האוצר", "Ministry of Finance", GOV_HQ),
    OrgSeed("נציבות שירות המדינה", "Civil Service Commission", GOV_HQ),
    OrgSeed("רשות התקשוב הממשלתי", "Government ICT Authority", GOV_HQ),
    OrgSeed("מטה ישראל דיגיטלית", "Israel Digital HQ", GOV_HQ),
    OrgSeed("הרשות להגנת הפרטיות", "Privacy Protection Authority", GOV_HQ),
    OrgSeed("רשות התחרות", "Israel Competition Authority", GOV_HQ),
)

#: Execution ministries deliver services to the public directly.
EXECUTION_MINISTRIES: tuple[OrgSeed, ...] = (
    OrgSeed("משרד הבריאות", "Ministry of Health", GOV_EXECUTION),
    OrgSeed("משרד החינוך", "Ministry of Education", GOV_EXECUTION),
    OrgSeed(
        "משרד הרווחה והשירותים החברתיים",
        "Ministry of Welfare and Social Services",
        GOV_EXECUTION,
    ),
    OrgSeed("משרד הכלכלה והתעשייה", "Ministry of Economy and Industry", GOV_EXECUTION),
    OrgSeed("משרד הפנים", "Ministry of Interior", GOV_EXECUTION),
    OrgSeed("משרד התחבורה והבטיחות בדרכים", "Ministry of Transport and Road Safety", GOV_EXECUTION),
    OrgSeed("משרד הבינוי והשיכון", "Ministry of Construction and Housing", GOV_EXECUTION),
    OrgSeed(
        "משרד החקלאות ופיתוח הכפר", "Ministry of Agriculture and Rural Development", GOV_EXECUTION
    ),
    OrgSeed("המשרד להגנת הסביבה", "Ministry of Environmental Protection", GOV_EXECUTION),
    OrgSeed("המוסד לביטוח לאומי", "National Insurance Institute", GOV_EXECUTION),
    OrgSeed("רשות האוכלוסין וההגירה", "Population and Immigration Authority", GOV_EXECUTION),
    OrgSeed("רשות המסים בישראל", "Israel Tax Authority", GOV_EXECUTION),
)

LOCAL_AUTHORITIES: tuple[OrgSeed, ...] = (
    OrgSeed("עיריית ירושלים", "Jerusalem Municipality", LOCAL, JERUSALEM),
    OrgSeed("עיריית תל אביב-יפו", "Tel Aviv-Yafo Municipality", LOCAL, TEL_AVIV),
    OrgSeed("עיריית חיפה", "Haifa Municipality", LOCAL, HAIFA),
    OrgSeed("עיריית באר שבע", "Beersheba Municipality", LOCAL, SOUTH),
    OrgSeed("עיריית אשדוד", "Ashdod Municipality", LOCAL, SOUTH),
    OrgSeed("עיריית נתניה", "Netanya Municipality", LOCAL, CENTER),
    OrgSeed("עיריית כפר סבא", "Kfar Saba Municipality", LOCAL, CENTER),
    OrgSeed("עיריית מודיעין-מכבים-רעות", "Modi'in-Maccabim-Re'ut Municipality", LOCAL, CENTER),
    OrgSeed("עיריית עפולה", "Afula Municipality", LOCAL, NORTH),
    OrgSeed("עיריית דימונה", "Dimona Municipality", LOCAL, SOUTH),
    OrgSeed("עיריית קריית שמונה", "Kiryat Shmona Municipality", LOCAL, NORTH),
    OrgSeed("עיריית שדרות", "Sderot Municipality", LOCAL, SOUTH),
    OrgSeed("מועצה מקומית ירוחם", "Yeruham Local Council", LOCAL, SOUTH),
    OrgSeed("מועצה אזורית גליל עליון", "Upper Galilee Regional Council", LOCAL, NORTH),
    OrgSeed("עיריית נצרת", "Nazareth Municipality", LOCAL, NORTH, arab=True),
    OrgSeed("עיריית סח'נין", "Sakhnin Municipality", LOCAL, NORTH, arab=True),
    OrgSeed("עיריית אום אל-פחם", "Umm al-Fahm Municipality", LOCAL, HAIFA, arab=True),
    OrgSeed("עיריית רהט", "Rahat Municipality", LOCAL, SOUTH, arab=True),
    OrgSeed("עיריית טייבה", "Tayibe Municipality", LOCAL, CENTER, arab=True),
    OrgSeed(
        "מועצה מקומית דלית אל-כרמל", "Daliyat al-Karmel Local Council", LOCAL, HAIFA, arab=True
    ),
)

#: Invented names: the demo should not put words in real organizations' mouths.
CIVIL_SOCIETY: tuple[OrgSeed, ...] = (
    OrgSeed("עמותת קהילה מחוברת", "Connected Community Association", CIVIL),
    OrgSeed("פורום הארגונים לשוויון דיגיטלי", "Forum for Digital Equality", CIVIL),
    OrgSeed("מרכז יזמות חברתית בנגב", "Negev Social Enterprise Center", CIVIL),
    OrgSeed("קרן גשרים לשירות ציבורי", "Bridges Fund for Public Service", CIVIL),
    OrgSeed("עמותת צעירים בפריפריה", "Young People in the Periphery Association", CIVIL),
)

ORGANIZATIONS: tuple[OrgSeed, ...] = (
    HQ_MINISTRIES + EXECUTION_MINISTRIES + LOCAL_AUTHORITIES + CIVIL_SOCIETY
)


# --- people ----------------------------------------------------------------------------------
# Names as (Hebrew, Latin spelling); the Latin spelling builds the demo e-mail address.

JEWISH_WOMEN: tuple[tuple[str, str], ...] = (
    ("דנה", "dana"), ("מיכל", "michal"), ("נועה", "noa"), ("רונית", "ronit"), ("יעל", "yael"),
    ("שירה", "shira"), ("תמר", "tamar"), ("אורית", "orit"), ("הילה", "hila"), ("ליאת", "liat"),
    ("מירב", "merav"), ("אפרת", "efrat"), ("סיגל", "sigal"), ("קרן", "keren"), ("ענבל", "inbal"),
    ("טלי", "tali"), ("שרית", "sarit"), ("אסנת", "osnat"), ("רחל", "rachel"), ("נורית", "nurit"),
    ("עדי", "adi"), ("גלית", "galit"), ("לימור", "limor"), ("אילנה", "ilana"), ("חן", "chen"),
    ("מאיה", "maya"), ("רוני", "roni"), ("אביגיל", "avigail"), ("ציפי", "tzipi"), ("רבקה", "rivka"),
)  # fmt: skip
JEWISH_MEN: tuple[tuple[str, str], ...] = (
    ("אבי", "avi"), ("יוסי", "yossi"), ("דוד", "david"), ("משה", "moshe"), ("אורי", "uri"),
    ("עומר", "omer"), ("איתי", "itay"), ("רון", "ron"), ("גיל", "gil"), ("אלון", "alon"),
    ("עמית", "amit"), ("יונתן", "yonatan"), ("אריאל", "ariel"), ("שי", "shai"), ("ניר", "nir"),
    ("אסף", "asaf"), ("ערן", "eran"), ("רועי", "roy"), ("דני", "dani"), ("יגאל", "yigal"),
    ("בועז", "boaz"), ("חיים", "haim"), ("שמואל", "shmuel"), ("אליהו", "eliyahu"), ("עידו", "ido"),
    ("תומר", "tomer"), ("נתן", "natan"), ("זיו", "ziv"), ("אהרון", "aharon"), ("גדי", "gadi"),
)  # fmt: skip
ARAB_WOMEN: tuple[tuple[str, str], ...] = (
    ("סמאח", "samah"), ("רנא", "rana"), ("מנאל", "manal"), ("עביר", "abir"), ("חנאן", "hanan"),
    ("ריהאם", "riham"), ("סוהא", "suha"), ("לינא", "lina"), ("נסרין", "nisreen"), ("אמל", "amal"),
    ("ראניה", "rania"), ("פאטמה", "fatma"), ("הבה", "hiba"), ("מרים", "maryam"), ("סלמא", "salma"),
)  # fmt: skip
ARAB_MEN: tuple[tuple[str, str], ...] = (
    ("מוחמד", "mohammad"), ("אחמד", "ahmad"), ("חוסאם", "hussam"), ("סאמר", "samer"),
    ("ג'מאל", "jamal"), ("ראמי", "rami"), ("ח'אלד", "khaled"), ("עלי", "ali"),
    ("באסם", "bassam"), ("ויסאם", "wissam"), ("פאדי", "fadi"), ("נביל", "nabil"),
    ("יוסף", "yousef"), ("מאג'ד", "majed"), ("טארק", "tarek"),
)  # fmt: skip
JEWISH_SURNAMES: tuple[tuple[str, str], ...] = (
    ("כהן", "cohen"), ("לוי", "levi"), ("מזרחי", "mizrahi"), ("פרץ", "peretz"), ("ביטון", "biton"),
    ("אברהם", "avraham"), ("פרידמן", "friedman"), ("שפירא", "shapira"), ("אזולאי", "azulay"),
    ("דהן", "dahan"), ("אוחיון", "ohayon"), ("גולדברג", "goldberg"), ("רוזנברג", "rosenberg"),
    ("בן דוד", "ben-david"), ("אשכנזי", "ashkenazi"), ("קפלן", "kaplan"), ("ברק", "barak"),
    ("חדד", "hadad"), ("עמר", "amar"), ("גבאי", "gabay"), ("מלכה", "malka"), ("סויסה", "suissa"),
    ("נחום", "nahum"), ("וייס", "weiss"), ("הורוביץ", "horowitz"), ("אלמוג", "almog"),
    ("טל", "tal"),
    ("רביבו", "revivo"), ("שטרן", "stern"), ("קליין", "klein"), ("גרינברג", "greenberg"),
    ("בן חמו", "ben-hamo"), ("אדלר", "adler"), ("זילברמן", "zilberman"), ("נגר", "nagar"),
    ("דיין", "dayan"), ("ששון", "sasson"), ("לנדאו", "landau"), ("צור", "tzur"), ("רגב", "regev"),
    ("הרשקוביץ", "hershkovitz"), ("אורן", "oren"), ("גל", "gal"), ("יפרח", "yifrach"),
    ("שושן", "shoshan"), ("בוזגלו", "bouzaglo"), ("ליבוביץ", "leibovitz"), ("סגל", "segal"),
)  # fmt: skip
ARAB_SURNAMES: tuple[tuple[str, str], ...] = (
    ("חורי", "khoury"), ("עודה", "odeh"), ("ג'בארין", "jabareen"), ("מסארווה", "masarwa"),
    ("חלבי", "halabi"), ("עזאם", "azzam"), ("נסאר", "nassar"), ("דאהר", "daher"), ("סעדי", "saadi"),
    ("אבו סאלח", "abu-saleh"), ("טאהא", "taha"), ("בדארנה", "badarneh"), ("מנסור", "mansour"),
    ("שחאדה", "shehadeh"), ("עאמר", "amer"), ("כנאענה", "kanaaneh"), ("אלקרינאוי", "alkrinawi"),
    ("ח'טיב", "khatib"), ("ג'באלי", "jabali"), ("זידאן", "zidan"),
)  # fmt: skip

# Job titles as (man, woman): Hebrew titles agree with the holder's gender.
TitlePair = tuple[str, str]

JOB_TITLES: dict[str, dict[str, tuple[TitlePair, ...]]] = {
    "government": {
        "policy": (
            ("ראש אגף מדיניות ותכנון", "ראש אגף מדיניות ותכנון"),
            ("סגן מנהל אגף שירות לציבור", "סגנית מנהל אגף שירות לציבור"),
            ('יועץ בכיר למנכ"ל', 'יועצת בכירה למנכ"ל'),
            ("מנהל תחום רגולציה", "מנהלת תחום רגולציה"),
            ("רפרנט בכיר באגף תקציבים", "רפרנטית בכירה באגף תקציבים"),
            ("מנהל אגף משאבי אנוש", "מנהלת אגף משאבי אנוש"),
            ("סגן היועץ המשפטי", "סגנית היועץ המשפטי"),
            ('ראש מטה המנכ"ל', 'ראש מטה המנכ"ל'),
        ),
        "technology": (
            ("מנהל מערכות מידע", "מנהלת מערכות מידע"),
            ("ראש תחום תשתיות מחשוב", "ראש תחום תשתיות מחשוב"),
            ("מנהל אבטחת מידע", "מנהלת אבטחת מידע"),
            ("ארכיטקט מערכות ראשי", "ארכיטקטית מערכות ראשית"),
            ("מנהל תחום נתונים ובינה עסקית", "מנהלת תחום נתונים ובינה עסקית"),
        ),
        "both": (
            ("מנהל חדשנות ודיגיטל", "מנהלת חדשנות ודיגיטל"),
            ("מוביל תחום שירותים מקוונים", "מובילת תחום שירותים מקוונים"),
            ("מנהל פרויקטים דיגיטליים", "מנהלת פרויקטים דיגיטליים"),
        ),
    },
    "local": {
        "policy": (
            ('מנכ"ל העירייה', 'מנכ"לית העירייה'),
            ("גזבר הרשות", "גזברית הרשות"),
            ("מנהל מחלקת החינוך", "מנהלת מחלקת החינוך"),
            ("מנהל אגף הרווחה", "מנהלת אגף הרווחה"),
            ("מהנדס העיר", "מהנדסת העיר"),
            ("מזכיר המועצה", "מזכירת המועצה"),
        ),
        "technology": (
            ("מנהל מערכות מידע ברשות", "מנהלת מערכות מידע ברשות"),
            ('מנהל מערך מיפוי וממ"ג', 'מנהלת מערך מיפוי וממ"ג'),
            ("ממונה אבטחת מידע", "ממונה אבטחת מידע"),
        ),
        "both": (
            ("מנהל חדשנות עירונית", "מנהלת חדשנות עירונית"),
            ("מנהל השירות לתושב והמוקד העירוני", "מנהלת השירות לתושב והמוקד העירוני"),
        ),
    },
    "civil": {
        "policy": (('מנכ"ל העמותה', 'מנכ"לית העמותה'), ("מנהל תוכניות", "מנהלת תוכניות")),
        "technology": (("מנהל טכנולוגיות", "מנהלת טכנולוגיות"),),
        "both": (("מנהל תחום שיתופי פעולה דיגיטליים", "מנהלת תחום שיתופי פעולה דיגיטליים"),),
    },
}

#: Areas of expertise by the profile they usually go with; "shared" suits anyone.
EXPERTISE: dict[str, tuple[str, ...]] = {
    "policy": (
        "רגולציה",
        "רכש ממשלתי",
        "תקציב ותכנון",
        "משאבי אנוש",
        "מיצוי זכויות",
        "שיתוף ציבור",
        "מידע פתוח",
        "חינוך דיגיטלי",
        "בריאות דיגיטלית",
    ),
    "technology": (
        "אבטחת מידע",
        "פרטיות",
        "תשתיות ענן",
        "בינה מלאכותית",
        "ניתוח נתונים",
        "מערכות מידע גאוגרפיות",
        "אוטומציה של תהליכים",
    ),
    "shared": (
        "עיצוב שירות",
        "ניהול פרויקטים",
        "חוויית משתמש",
        "הנגשת שירותים",
        "ניהול שינוי",
        "ניהול ידע",
        "שירות לתושב",
    ),
}

MOBILE_PREFIXES: tuple[str, ...] = ("050", "052", "053", "054", "058")


# --- programs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramSeed:
    slug: str
    kind: str
    name_he: str
    name_en: str
    description_he: str
    description_en: str
    hours_target: int
    domains: tuple[tuple[str, str], ...] = ()


PROGRAMS: tuple[ProgramSeed, ...] = (
    ProgramSeed(
        slug="government",
        kind=ProgramKind.GOVERNMENT,
        name_he="מובילים דיגיטליים בממשלה",
        name_en="Digital Leaders in Government",
        description_he=(
            "מסלול למנהלים בכירים במשרדי הממשלה ולעתודה שלהם, לצד נציגים מהשלטון המקומי ומהחברה "
            "האזרחית. כחמישה עשר ימי למידה בארץ ושבוע סמינר באוניברסיטת הרווארד; כל משתתף מקדם "
            "פרויקט דיגיטלי אישי, והקבוצה מגבשת פרויקטים משותפים בין משרדים ובין מגזרים."
        ),
        description_en=(
            "A track for senior managers of government ministries and their successors, joined "
            "by people from local government and civil society. About fifteen learning days in "
            "Israel and a seminar week at Harvard; each participant drives a personal digital "
            "project, and groups outline joint projects across ministries and sectors."
        ),
        hours_target=200,
        domains=(
            ("טרנספורמציה דיגיטלית – התמונה הכללית", "Digital transformation in general"),
            (
                "טרנספורמציה דיגיטלית בעולמות התוכן של המשרדים",
                "Digital transformation in the ministries' fields",
            ),
            ("דיגיטציה לצמצום פערים חברתיים", "Digitization as a reducer of social gaps"),
            ("ניהול, מנהיגות וערכים", "Management, leadership and values"),
            ("בירוקרטיה וסוגיות רוחב בממשלה", "Bureaucracy and cross-cutting government issues"),
        ),
    ),
    ProgramSeed(
        slug="local",
        kind=ProgramKind.LOCAL,
        name_he="מובילים דיגיטליים בשלטון המקומי",
        name_en="Digital Leaders in Local Government",
        description_he=(
            "מסלול למנהלים ברשויות המקומיות, עם מעט משתתפים ממשרדי הממשלה ומהחברה האזרחית. "
            'מפגשי למידה בארץ, סיור לימודי בחו"ל ועבודה בצוותים לפי רשות: כל רשות מקדמת פרויקט '
            "דיגיטלי משותף בליווי מקצועי, ויכולה לבנות גם תכנית עבודה דיגיטלית אסטרטגית."
        ),
        description_en=(
            "A track for managers of local authorities, with a few participants from ministries "
            "and civil society. Learning meetings in Israel, a study tour abroad and teamwork by "
            "authority: each authority carries out a joint digital project with professional "
            "support, and may also draw up a strategic digital work plan."
        ),
        hours_target=200,
        domains=(
            ("טרנספורמציה ואוריינות דיגיטלית", "Digital transformation and literacy"),
            ("תהליכים עסקיים ברשות המקומית", "Business processes in the local authority"),
            ("מנהיגות והובלת שינוי", "Leadership and leading change"),
            (
                "סוגיות רוחב בממשלה ובשלטון המקומי",
                "Cross-cutting issues of government and local government",
            ),
        ),
    ),
    ProgramSeed(
        slug="network",
        kind=ProgramKind.NETWORK,
        name_he="רשת המובילים",
        name_en="Leaders Network",
        description_he=(
            "הבית של בוגרי כל המסלולים אחרי סיום המחזור: ימי עבודה משותפים, למידת עמיתים, "
            "ייעוץ מקצועי וליווי של פרויקטים ויוזמות דיגיטליות. הבוגרים מצטרפים לרשת בהדרגה, "
            "עם סיומו של כל מחזור."
        ),
        description_en=(
            "Where alumni of every track stay together after their cohort ends: joint workdays, "
            "peer learning, professional advice and support for digital projects and "
            "initiatives. Alumni join gradually, as each cohort finishes."
        ),
        hours_target=24,
    ),
)


# --- sessions --------------------------------------------------------------------------------
# (learning-domain position, title). Positions refer to the program's domains above.

GOVERNMENT_DAYS: tuple[tuple[int, str], ...] = (
    (0, "פתיחת המחזור: מהי טרנספורמציה דיגיטלית ולמה היא נחוצה"),
    (0, "האזרח במרכז: תכנון שירות מנקודת המבט של המשתמש"),
    (3, "מי אני כמוביל שינוי: מנהיגות אישית בשירות הציבורי"),
    (1, "בריאות דיגיטלית: רפואה מרחוק ותיק רפואי משותף"),
    (2, "פערים דיגיטליים: שירותים נגישים לאוכלוסיות מוחלשות"),
    (4, "מידע פתוח ושקיפות בממשלה"),
    (0, "יום האקסלרטור: הצגת הפרויקטים האישיים ומשוב עמיתים"),
    (4, "רכש, רגולציה וחסמים בירוקרטיים בפרויקט דיגיטלי"),
    (1, "חינוך דיגיטלי: מערכות למידה ונתונים בבית הספר"),
    (4, "עבודה בין-משרדית: מי באמת הבעלים של התהליך"),
    (2, "מיצוי זכויות בעזרת דיגיטל: רווחה וביטחון סוציאלי"),
    (3, "הובלת שינוי בארגון: התנגדויות, בעלי עניין ותרבות ארגונית"),
    (0, "חדשנות בממשל: ניסויים, פיילוטים ולמידה מכישלון"),
    (3, "יום האינקובטור: גיבוש פרויקטים קבוצתיים בין משרדים ומגזרים"),
    (3, "יום סיום: הצגת הפרויקטים ותובנות להמשך הדרך"),
)
GOVERNMENT_DAY_PLACES: tuple[str, ...] = (
    "ירושלים",
    "ירושלים",
    "תל אביב-יפו",
    "ירושלים",
    "באר שבע",
    "ירושלים",
    "תל אביב-יפו",
    "ירושלים",
    "חיפה",
    "ירושלים",
    "נצרת",
    "ירושלים",
    "תל אביב-יפו",
    "ירושלים",
    "ירושלים",
)
HARVARD_WEEK = (0, "שבוע סמינר בבית הספר לממשל של אוניברסיטת הרווארד")
HARVARD_PLACE = "קיימברידג', מסצ'וסטס"

LOCAL_MEETINGS: tuple[tuple[int, str, str], ...] = (
    (0, "מפגש פתיחה: הרשות המקומית בעידן הדיגיטלי", "חיפה"),
    (1, "מיפוי תהליכים ברשות: מהפנייה של התושב ועד סגירתה", "באר שבע"),
    (2, "מנהיגות מקומית והובלת שינוי בארגון העירוני", "נצרת"),
    (1, "תכנון פרויקט הרשות לפי מודל CREATE, עם הצוות המלווה", "תל אביב-יפו"),
    (1, "שירות דיגיטלי לתושב: אתר, מוקד ותשלומים מקוונים", "אשדוד"),
    (3, "אבטחת מידע, פרטיות ושיתוף מידע בין הרשות לממשלה", "ירושלים"),
    (3, "הרשות ומשרד הפנים: רגולציה, תקציב ותקינה לדיגיטל", "ירושלים"),
)
DENMARK_TOUR = (0, "סיור לימודי בדנמרק: ממשל דיגיטלי ברשויות מקומיות", "קופנהגן ואורהוס")
LOCAL_ONLINE: tuple[tuple[int, str], ...] = (
    (2, "מפגש מקוון: ניהול הרשות בימי משבר"),
    (1, "מפגש מקוון: שירותים דיגיטליים לתושבים בזמן סגר"),
    (1, "מפגש מקוון: עדכון הפרויקטים של הרשויות"),
    (2, "מפגש מקוון לסיכום: שאלון סיום והמשך הדרך ברשת המובילים"),
)

NETWORK_WORKDAYS: tuple[tuple[date, str], ...] = (
    (date(2016, 4, 12), "יום עבודה ראשון לעמיתי הרשת: מה קורה לפרויקטים אחרי התכנית"),
    (date(2016, 6, 21), "למידת עמיתים: הצלחות וכישלונות בהטמעה"),
    (date(2016, 9, 6), "ייעוץ בקבוצות קטנות לפרויקטים בין-משרדיים"),
    (date(2016, 11, 8), "כלים חדשים: נתונים, מידע פתוח ושיתוף ציבור"),
    (date(2017, 9, 12), "מפגש עמיתים משותף למחזורים א' ו-ב'"),
    (date(2018, 2, 6), "יום עבודה: יוזמות דיגיטליות של עמיתי הרשת"),
)
NETWORK_PLACES: tuple[str, ...] = ("ירושלים", "תל אביב-יפו")
