"""Importing organizations and participants: all rows or none, every problem reported by row."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404, HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from movilim.core import tabular
from movilim.core.errors import InvalidInput
from movilim.core.models import User
from movilim.core.tabular import ImportReport
from movilim.people.models import Organization, Person
from movilim.programs.access import person_for_view
from movilim.programs.imports import editable_people, import_participants
from movilim.programs.models import Cohort, Enrollment, EnrollmentStatusChange

from .. import factories


def csv_file(text: str, name: str = "people.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list[object]], name: str = "people.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


ORGS_CSV = """שם,סוג,Name (English),אזור
משרד הבריאות,Government ministry – execution,Ministry of Health,
עיריית באר שבע,local_authority,Beer Sheva Municipality,דרום
"""

PEOPLE_CSV = (
    "E-mail,First name,Last name,Organization,Job title,Gender,Profile,Minority population\n"
    """Dana@Health.gov.il,דנה,לוי,משרד הבריאות,ראש אגף,female,policy,no
yosef@b7.muni.il,יוסף,אבו-ריא,עיריית באר שבע,מנמ"ר,male,technology,yes
"""
)


def _upload(client, kind: str, upload, cohort=None):
    data = {"kind": kind, "file": upload}
    if cohort is not None:
        data["cohort"] = cohort.pk
    return client.post(reverse("programs:import"), data)


@pytest.fixture
def coordinator(world, client_for):
    return client_for("coordinator")


def test_import_organizations_then_participants_into_a_cohort(world, coordinator) -> None:
    response = _upload(coordinator, "organizations", csv_file(ORGS_CSV))
    assert response.status_code == 200, response.context["report"]
    assert Organization.objects.get(name_he="משרד הבריאות").kind == "gov_execution"
    assert Organization.objects.get(name_he="עיריית באר שבע").region == "דרום"

    response = _upload(coordinator, "participants", csv_file(PEOPLE_CSV), cohort=world.cohort)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.updated) == (2, 0)
    dana = Person.objects.get(user__email="dana@health.gov.il")
    assert dana.gender == "female" and dana.minority is False
    yosef = Person.objects.get(user__email="yosef@b7.muni.il")
    assert yosef.minority is True and yosef.organization.name_he == "עיריית באר שבע"
    assert Enrollment.objects.filter(cohort=world.cohort, person__in=[dana, yosef]).count() == 2
    assert not dana.user.has_usable_password()


def test_reimporting_the_same_file_updates_instead_of_duplicating(world, coordinator) -> None:
    _upload(coordinator, "organizations", csv_file(ORGS_CSV))
    _upload(coordinator, "participants", csv_file(PEOPLE_CSV), cohort=world.cohort)
    users, people = User.objects.count(), Person.objects.count()
    changed = PEOPLE_CSV.replace("ראש אגף", 'סמנכ"לית')
    response = _upload(coordinator, "participants", csv_file(changed), cohort=world.cohort)
    report = response.context["report"]
    assert (report.created, report.updated) == (0, 1)  # only Dana's row changed
    assert (User.objects.count(), Person.objects.count()) == (users, people)
    assert Person.objects.get(user__email="dana@health.gov.il").job_title == 'סמנכ"לית'
    assert Enrollment.objects.filter(cohort=world.cohort).count() == 4


def test_one_bad_row_means_nothing_is_saved_and_every_problem_is_listed(world, coordinator) -> None:
    _upload(coordinator, "organizations", csv_file(ORGS_CSV))
    bad = (
        PEOPLE_CSV
        + "not-an-email,רון,כהן,משרד הבריאות,,,,\n"
        + "ron@gov.il,,כהן,משרד החלומות,,unicorn,,\n"
        + "dana@health.gov.il,דנה,לוי,,,,,\n"
    )
    users = User.objects.count()
    response = _upload(coordinator, "participants", csv_file(bad), cohort=world.cohort)
    assert response.status_code == 400
    report = response.context["report"]
    rows = sorted({e.row for e in report.errors})
    assert rows == [4, 5, 6]
    messages = " ".join(e.message for e in report.errors)
    assert "משרד החלומות" in messages  # unknown organization, named
    assert "unicorn" in messages  # bad choice, named
    assert User.objects.count() == users  # the two good rows were not saved either
    html = response.content.decode()
    assert '<td class="num">5</td>' in html


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (csv_file("", name="empty.csv"), "empty"),
        (csv_file("Name,Job\nx,y\n"), "E-mail"),
        (SimpleUploadedFile("people.pdf", b"%PDF-1.4"), ".csv"),
        (SimpleUploadedFile("people.xlsx", b"not a zip"), "xlsx"),
        (csv_file("E-mail,First name,Last name\n"), "no rows"),
    ],
)
def test_unusable_files_get_a_clear_message(world, coordinator, upload, fragment) -> None:
    from django.utils import translation

    coordinator.cookies["django_language"] = "en"
    response = _upload(coordinator, "participants", upload)
    assert response.status_code == 400
    with translation.override("en"):
        errors = " ".join(response.context["form"].errors["file"])
    assert fragment.lower() in errors.lower()
    assert errors in response.content.decode()


def test_xlsx_with_hebrew_headers_and_windows_hebrew_csv(world, coordinator) -> None:
    org = factories.OrganizationFactory(name_he="משרד החינוך")
    rows = [
        ['דוא"ל', "שם פרטי", "שם משפחה", "ארגון", "מגדר", "טלפון"],
        ["miri@edu.gov.il", "מירי", "שושן", "משרד החינוך", "אישה", 541234567],
    ]
    response = _upload(coordinator, "participants", xlsx_file(rows))
    assert response.status_code == 200, response.context["report"].errors
    miri = Person.objects.get(user__email="miri@edu.gov.il")
    assert miri.organization == org and miri.phone == "0541234567"  # the leading zero Excel dropped

    text = "E-mail,First name,Last name\nnoa@gov.il,נועה,ברק\n"
    response = _upload(coordinator, "participants", csv_file(text, encoding="cp1255"))
    assert response.status_code == 200
    assert Person.objects.get(user__email="noa@gov.il").user.first_name == "נועה"


def test_import_into_a_cohort_of_another_program_is_not_offered(world, coordinator) -> None:
    response = _upload(coordinator, "participants", csv_file(PEOPLE_CSV), cohort=world.other_cohort)
    assert response.status_code == 400
    assert "cohort" in response.context["form"].errors
    assert not Enrollment.objects.filter(
        cohort=world.other_cohort, person__user__email="dana@health.gov.il"
    ).exists()


def test_template_download_has_the_headers(world, coordinator) -> None:
    response = coordinator.get(reverse("programs:import_template", args=["organizations", "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.count(",") == 3


# --- who an import may change ------------------------------------------------------------------


def _snapshot(user: User) -> tuple:
    user.refresh_from_db()
    person = Person.objects.filter(user=user).values_list(
        "job_title",
        "phone",
        "gender",
        "minority",
        "organization_id",
    )
    return (
        user.first_name,
        user.last_name,
        user.is_staff,
        user.is_superuser,
        list(person),
        sorted(Enrollment.objects.filter(person__user=user).values_list("cohort_id", "status")),
    )


HOSTILE_CSV = (
    "E-mail,First name,Last name,Phone,Gender,Minority population,Status\n"
    "outsider@example.org,שונה,שונה,050-9999999,male,yes,active\n"
    "ADMIN@example.org,שונה,שונה,050-9999999,male,yes,active\n"
    "manager@example.org,שונה,שונה,050-9999999,male,yes,active\n"
    "new.person@gov.il,חדשה,לגמרי,,,,\n"
)


def test_coordinator_cannot_change_outsiders_or_staff_and_nothing_is_saved(
    world, coordinator
) -> None:
    targets = [world.outsider, world.admin, world.manager]
    before = [_snapshot(user) for user in targets]
    log_entries = LogEntry.objects.count()

    response = _upload(coordinator, "participants", csv_file(HOSTILE_CSV), cohort=world.cohort)

    assert response.status_code == 400
    report = response.context["report"]
    refused = {error.row: error.message for error in report.errors}
    assert sorted(refused) == [2, 3, 4]
    assert "outsider@example.org" in refused[2]
    assert "admin@example.org" in refused[3] and "manager@example.org" in refused[4]
    assert [_snapshot(user) for user in targets] == before
    assert not Person.objects.filter(user__in=[world.admin, world.manager]).exists()
    assert not User.objects.filter(email="new.person@gov.il").exists()  # all rows or none
    assert LogEntry.objects.count() == log_entries
    html = response.content.decode()
    assert "outsider@example.org" in html


def test_an_administrator_cannot_change_staff_accounts_either(world, client_for) -> None:
    before = [_snapshot(world.manager), _snapshot(world.coordinator)]
    text = (
        "E-mail,First name,Last name,Phone\n"
        "manager@example.org,שונה,שונה,050-9999999\n"
        "coordinator@example.org,שונה,שונה,050-9999999\n"
    )
    response = _upload(client_for("admin"), "participants", csv_file(text))
    assert response.status_code == 400
    assert sorted(e.row for e in response.context["report"].errors) == [2, 3]
    assert [_snapshot(world.manager), _snapshot(world.coordinator)] == before


def test_an_administrator_updates_anyone_who_is_not_staff(world, client_for) -> None:
    text = "E-mail,First name,Last name,Phone\noutsider@example.org,אאא,בבב,050-1111111\n"
    response = _upload(client_for("admin"), "participants", csv_file(text), cohort=world.cohort)
    assert response.status_code == 200, response.context["report"].errors
    world.outsider_person.refresh_from_db()
    assert world.outsider_person.phone == "050-1111111"
    assert Enrollment.objects.filter(cohort=world.cohort, person=world.outsider_person).exists()


def test_coordinator_updates_and_enrolls_the_people_of_their_programs(world, coordinator) -> None:
    other = factories.CohortFactory(program=world.program)
    organization = factories.OrganizationFactory(name_he="משרד האוצר")
    text = (
        "E-mail,First name,Last name,Phone,Organization,Status\n"
        "participant@example.org,רונית,חדשה,052-7777777,משרד האוצר,selected\n"
        "fresh@gov.il,טל,אור,,,\n"
    )
    response = _upload(coordinator, "participants", csv_file(text), cohort=other)
    assert response.status_code == 200, response.context["report"].errors
    report = response.context["report"]
    assert (report.created, report.updated) == (1, 1)
    fresh = User.objects.get(email="fresh@gov.il")
    assert report.created_user_ids == [fresh.pk]
    assert not fresh.has_usable_password()

    person = Person.objects.select_related("user").get(pk=world.participant_person.pk)
    assert (person.user.first_name, person.user.last_name) == ("רונית", "חדשה")
    assert person.phone == "052-7777777" and person.organization == organization
    enrollment = Enrollment.objects.get(cohort=other, person=person)
    assert enrollment.status == "selected"
    assert list(enrollment.history.values_list("to_status", "changed_by")) == [
        ("selected", world.coordinator.pk)
    ]

    # Who changed what stays in the audit log, with the importer as the actor.
    entry = LogEntry.objects.get_for_object(person).filter(actor=world.coordinator).get()
    assert entry.action == LogEntry.Action.UPDATE and entry.actor == world.coordinator
    assert entry.changes["phone"] == ["050-0000000", "052-7777777"]
    assert entry.changes["organization"][1] == organization.pk
    renamed = LogEntry.objects.get_for_object(person.user).filter(actor=world.coordinator).get()
    assert renamed.changes["first_name"][1] == "רונית"
    created = LogEntry.objects.get_for_object(Person.objects.get(user=fresh)).get()
    assert created.action == LogEntry.Action.CREATE and created.actor == world.coordinator
    assert LogEntry.objects.get_for_object(enrollment).get().changes["status"] == [
        None,
        "selected",
    ]

    # Importing the same file again changes nothing and logs nothing.
    entries = LogEntry.objects.count()
    response = _upload(coordinator, "participants", csv_file(text), cohort=other)
    assert response.status_code == 200
    assert response.context["report"].created_user_ids == []
    assert LogEntry.objects.count() == entries
    assert enrollment.history.count() == 1


def test_audit_entries_of_a_bulk_import_read_as_auditlog_writes_them(world, coordinator) -> None:
    """The entries are written as plain rows: each names its object as ``str()`` does, keeps the
    values in auditlog's ``[old, new]`` shape, and tells who did it and from where."""
    organization = factories.OrganizationFactory(name_he="משרד האוצר")
    text = (
        "E-mail,First name,Last name,Organization,Phone,Minority population,Status\n"
        "fresh@gov.il,טל,אור,משרד האוצר,050-1111111,no,selected\n"
        "bare@gov.il,נוי,בר,,,,\n"
    )
    response = _upload(coordinator, "participants", csv_file(text), cohort=world.cohort)
    assert response.status_code == 200, response.context["report"].errors

    person = Person.objects.select_related("user").get(user__email="fresh@gov.il")
    entry = LogEntry.objects.get_for_object(person).get()
    assert (entry.object_pk, entry.object_id, entry.object_repr) == (
        str(person.pk),
        person.pk,
        str(person),
    )
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes == {
        "user": [None, person.user_id],
        "organization": [None, organization.pk],
        "phone": [None, "050-1111111"],
        "minority": [None, False],
    }
    assert (entry.actor, entry.actor_email) == (world.coordinator, world.coordinator.email)
    assert entry.remote_addr == "127.0.0.1"
    enrollment = Enrollment.objects.select_related("person__user", "cohort__program").get(
        cohort=world.cohort, person=person
    )
    entry = LogEntry.objects.get_for_object(enrollment).get()
    with translation.override("he"):
        assert entry.object_repr == str(enrollment)
    assert entry.changes == {
        "cohort": [None, world.cohort.pk],
        "person": [None, person.pk],
        "status": [None, "selected"],
    }
    bare = Person.objects.get(user__email="bare@gov.il")
    assert LogEntry.objects.get_for_object(bare).get().changes == {"user": [None, bare.user_id]}
    assert list(
        Enrollment.objects.get(person=bare).history.values_list("from_status", "to_status")
    ) == [("", "active")]


def test_an_address_registered_meanwhile_refuses_the_whole_import(world) -> None:
    """The caller found no account for the address, yet one has it by the time of the insert
    (another writer's): nothing is changed, and the importer is told to upload again."""
    from movilim.people import services as people_services

    taken = factories.UserFactory(email="taken@gov.il")
    rows = [
        people_services.PersonRow(email="new@gov.il", first_name="א", last_name="ב"),
        people_services.PersonRow(email="taken@gov.il", first_name="ג", last_name="ד"),
    ]
    with pytest.raises(InvalidInput, match=r"taken@gov\.il"):
        people_services.people_bulk_upsert(rows=rows, existing={}, by=world.coordinator)
    assert not User.objects.filter(email="new@gov.il").exists()
    assert not Person.objects.filter(user=taken).exists()


def test_editable_people_is_the_profile_pages_rule(world) -> None:
    people = list(Person.objects.all())
    for role in ("coordinator", "manager", "evaluator", "steering", "participant", "admin"):
        user = world.user(role)
        expected = set()
        for person in people:
            try:
                if person_for_view(user, person.pk).can_edit and person.user_id != user.pk:
                    expected.add(person.pk)  # people edit themselves on their profile only
            except Http404:
                pass
        own = {p.pk for p in people if p.user_id == user.pk}
        assert editable_people(user, [p.pk for p in people]) - own == expected, role


# --- limits and hostile files -----------------------------------------------------------------


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    return xlsx_file(rows).read()


def _rezip(data: bytes, edit: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The workbook ``data`` with some of its parts rewritten, as a hand-edited file would be."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            target.writestr(name, edit[name](part) if name in edit else part)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
PEOPLE_ROWS: list[list[object]] = [
    ["E-mail", "First name", "Last name"],
    *[[f"p{n}@gov.il", "שם", "משפחה"] for n in range(5)],
]


def test_xlsx_with_a_dtd_and_entities_is_refused_with_a_sentence(world, coordinator) -> None:
    laughs = b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    data = _rezip(_xlsx_bytes(PEOPLE_ROWS), {SHEET: lambda xml: laughs + xml})
    coordinator.cookies["django_language"] = "en"
    response = _upload(coordinator, "participants", SimpleUploadedFile("p.xlsx", data))
    assert response.status_code == 400
    with translation.override("en"):
        assert "entities" in " ".join(response.context["form"].errors["file"])
    assert not User.objects.filter(email="p0@gov.il").exists()


def test_xlsx_with_an_entity_reference_in_a_cell_is_refused_not_a_500(world, coordinator) -> None:
    def undefined_entity(xml: bytes) -> bytes:
        return xml.replace(b"p3@gov.il", b"p3@gov.il&boom;")

    data = _rezip(_xlsx_bytes(PEOPLE_ROWS), {SHEET: undefined_entity})
    response = _upload(coordinator, "participants", SimpleUploadedFile("p.xlsx", data))
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_an_xlsx_zip_bomb_is_refused_before_it_is_inflated(world, coordinator) -> None:
    padding = b" " * (tabular.MAX_XLSX_UNCOMPRESSED_BYTES + 1)

    def inflate(xml: bytes) -> bytes:
        return xml.replace(b"<sheetData>", b"<sheetData>" + padding, 1)

    data = _rezip(_xlsx_bytes(PEOPLE_ROWS), {SHEET: inflate})
    assert len(data) < 1024 * 1024  # a small upload...
    with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed")):
        response = _upload(coordinator, "participants", SimpleUploadedFile("p.xlsx", data))
    assert response.status_code == 400  # ...refused without parsing it
    assert "50" in " ".join(response.context["form"].errors["file"])


def test_an_oversized_upload_is_refused_before_its_body_is_read(world, coordinator) -> None:
    big = csv_file("E-mail,First name,Last name\n" + "x" * (tabular.MAX_UPLOAD_BYTES + 100_000))
    with mock.patch.object(HttpRequest, "parse_file_upload", side_effect=AssertionError("read")):
        response = _upload(coordinator, "participants", big)
    assert response.status_code == 413
    assert "5 MB" in response.content.decode()


def test_the_import_itself_refuses_an_oversized_file(world) -> None:
    big = csv_file("E-mail,First name,Last name\n" + "x" * tabular.MAX_UPLOAD_BYTES)
    with pytest.raises(InvalidInput):
        import_participants(big, cohort=None, by=world.coordinator)


def test_reading_stops_at_the_row_limit(world, coordinator, monkeypatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    # Rows past the limit are never read: the broken one (a NUL byte in CSV, an undefined
    # entity in XLSX) would fail the file otherwise.
    text = "E-mail,First name,Last name\n" + "".join(f"p{n}@gov.il,שם,משפחה\n" for n in range(4))
    for upload in (
        csv_file(text + "bad\0row,x,y\n"),
        SimpleUploadedFile(
            "p.xlsx",
            _rezip(
                _xlsx_bytes(PEOPLE_ROWS),
                {SHEET: lambda xml: xml.replace(b"p4@gov.il", b"&boom;")},
            ),
        ),
    ):
        response = _upload(coordinator, "participants", upload)
        assert response.status_code == 400
        assert "3" in " ".join(response.context["form"].errors["file"])
    assert not User.objects.filter(email="p0@gov.il").exists()


# --- set-based work ---------------------------------------------------------------------------


def _people_csv(count: int, existing: list[str], prefix: str = "new") -> SimpleUploadedFile:
    lines = ["E-mail,First name,Last name,Organization,Phone,Gender,Status"]
    lines += [f"{email},שונה,שונה,משרד הבריאות,050-1234567,female,graduated" for email in existing]
    lines += [
        f"{prefix}{n}@gov.il,שם{n},משפחה,משרד הבריאות,050-1234567,male,"
        for n in range(count - len(existing))
    ]
    return csv_file("\n".join(lines) + "\n")


def _existing_people(world, count: int, prefix: str) -> list[str]:
    """``count`` people already enrolled in the coordinator's program, made in bulk."""
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{n}@gov.il", first_name="א", last_name="ב") for n in range(count)]
    )
    users = list(User.objects.filter(email__startswith=prefix))
    people = Person.objects.bulk_create([Person(user=user) for user in users])
    people = list(Person.objects.filter(user__in=users))
    Enrollment.objects.bulk_create(
        [Enrollment(cohort=world.cohort, person=person) for person in people]
    )
    return [user.email for user in users]


def _statements(queries: list[dict[str, str]]) -> list[str]:
    """The statements run, a bulk statement that SQLite splits into batches counted once.

    SQLite takes at most 999 parameters per statement in Django 5.2, so Django cuts a bulk
    insert or update into batches; PostgreSQL runs each as one statement, and is compared by
    plain count.
    """
    shapes: list[str] = []
    for query in queries:
        shape = re.split(r" VALUES | SET | WHERE ", query["sql"], maxsplit=1)[0]
        shape = re.sub(r'"s\d+_x\d+"', "savepoint", shape)
        if connection.vendor == "sqlite" and shapes and shapes[-1] == shape:
            continue
        shapes.append(shape)
    return shapes


def test_the_number_of_queries_does_not_grow_with_the_rows(world) -> None:
    factories.OrganizationFactory(name_he="משרד הבריאות")
    cohort = Cohort.objects.select_related("program").get(pk=world.cohort.pk)
    counted = {}
    for count in (10, 1000):
        existing = _existing_people(world, count // 2, prefix=f"old{count}-")
        upload = _people_csv(count, existing, prefix=f"new{count}-")
        importer = User.objects.get(pk=world.coordinator.pk)  # rights not yet loaded
        with CaptureQueriesContext(connection) as queries:
            report = import_participants(upload, cohort=cohort, by=importer)
        assert report.ok, report.errors[:3]
        assert (report.created, report.updated) == (count // 2, count // 2)
        counted[count] = queries.captured_queries
        assert Enrollment.objects.filter(cohort=cohort, status="graduated").count() >= count // 2
    if connection.vendor == "sqlite":
        assert _statements(counted[10]) == _statements(counted[1000])
    else:
        assert len(counted[10]) == len(counted[1000])
    assert len(_statements(counted[1000])) <= 28  # validation, writes, audit, invitations
    # Every person created or changed, every enrollment, and every account has its audit entry.
    person_type = ContentType.objects.get_for_model(Person)
    assert LogEntry.objects.filter(content_type=person_type, actor=world.coordinator).count() == (
        10 + 1000
    )


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    from django.db.backends.sqlite3.base import DatabaseWrapper

    # The test database lives in memory; open a file database with the same settings.
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")}, alias="wal-check"
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 10_000
    finally:
        wrapper.close()


# --- concurrent imports -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_identical_imports_all_answer_and_store_each_row_once(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: PostgreSQL")
    factories.OrganizationFactory(name_he="משרד הבריאות")
    cohort = Cohort.objects.select_related("program").get(pk=world.cohort.pk)
    content = _people_csv(40, existing=[]).read()
    barrier = threading.Barrier(8)

    def run() -> ImportReport:
        try:
            barrier.wait(timeout=10)
            upload = SimpleUploadedFile("people.csv", content)
            return import_participants(upload, cohort=cohort, by=world.coordinator)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        reports = list(pool.map(lambda _n: run(), range(8)))

    assert all(report.ok for report in reports)
    assert sum(len(report.created_user_ids) for report in reports) == 40
    assert User.objects.filter(email__startswith="new").count() == 40
    assert Person.objects.filter(user__email__startswith="new").count() == 40
    enrollments = Enrollment.objects.filter(cohort=cohort, person__user__email__startswith="new")
    assert enrollments.count() == 40
    assert EnrollmentStatusChange.objects.filter(enrollment__in=enrollments).count() == 40


def test_imported_and_newly_enrolled_people_are_invited_once(
    world, coordinator, django_capture_on_commit_callbacks
) -> None:
    """New accounts get an invitation mail when the import commits; a second import of the
    same file sends nothing more, and people with a password of their own get none."""
    from django.core import mail

    from movilim.core.models import Invitation

    other = factories.CohortFactory(program=world.program)
    text = (
        "E-mail,First name,Last name\nfresh@gov.il,טל,אור\nparticipant@example.org,משתתפת,קיימת\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(coordinator, "participants", csv_file(text), cohort=other)
    assert response.status_code == 200, response.context["report"].errors
    assert [m.to for m in mail.outbox] == [["fresh@gov.il"]]
    assert Invitation.objects.get().user.email == "fresh@gov.il"
    with django_capture_on_commit_callbacks(execute=True):
        _upload(coordinator, "participants", csv_file(text), cohort=other)
    assert len(mail.outbox) == 1
