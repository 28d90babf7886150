"""Participant search: Hebrew folded the same way in Python and SQL, and found through an index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from movilim.core.hebrew import POINTS, Folded, fold
from movilim.core.models import User
from movilim.programs.queries import organizations_matching, users_matching

from .. import factories

pytestmark = pytest.mark.usefixtures("module_world")


def test_fold_drops_points_and_final_forms_and_case() -> None:
    assert fold("שָׂרָה") == "שרה"
    assert fold("כֹּהֵן") == "כהנ"
    assert fold("ךםןףץ") == "כמנפצ"
    assert fold("Dana@GOV.il") == "dana@gov.il"
    assert fold("\u0591\u05c7") == ""  # both ends of the range of points


@pytest.mark.django_db
def test_the_database_folds_exactly_as_python_does() -> None:
    text = "ABC שָׂלוֹם ךםןףץ " + POINTS + " xyz"
    user = factories.UserFactory(first_name=text, last_name="", email="fold@example.org")
    folded = (
        User.objects.filter(pk=user.pk).annotate(f=Folded("first_name")).values_list("f", flat=True)
    )
    assert folded.get() == fold(text)


def _listed(client, search: str) -> str:
    response = client.get(reverse("programs:people"), {"q": search})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_names_with_and_without_points_and_final_letters(world, client_for) -> None:
    pointed = factories.PersonFactory(user__first_name="שָׂרָה", user__last_name="כֹּהֵן")
    plain = factories.PersonFactory(user__first_name="דניאל", user__last_name="שרהלי")
    for person in (pointed, plain):
        factories.EnrollmentFactory(cohort=world.cohort, person=person)
    client = client_for("coordinator")
    pointed_url = reverse("programs:person", args=[pointed.pk])
    plain_url = reverse("programs:person", args=[plain.pk])

    html = _listed(client, "שרה")  # plain letters find the pointed name
    assert pointed_url in html and plain_url in html
    html = _listed(client, "שָׂרָה")  # points in the search find the plain name too
    assert pointed_url in html and plain_url in html
    assert pointed_url in _listed(client, "כהן")  # final letter against a pointed one
    assert plain_url in _listed(client, "דן")  # a final letter where the name goes on
    assert pointed_url not in _listed(client, "דן")


def test_search_matches_organization_names(world, client_for) -> None:
    organization = factories.OrganizationFactory(name_he="עיריית חֵיפָה", name_en="Haifa City")
    person = factories.PersonFactory(organization=organization)
    factories.EnrollmentFactory(cohort=world.cohort, person=person)
    client = client_for("coordinator")
    url = reverse("programs:person", args=[person.pk])
    assert url in _listed(client, "חיפה")
    assert url in _listed(client, "haifa")
    assert url not in _listed(client, "תל אביב")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_search_uses_the_trigram_indexes() -> None:
    """Each table is searched through its GIN index. With sequential and plain index scans off,
    the only way left that avoids reading the whole table is the trigram index; a query whose
    expression differed from the index's would fall back to a (disabled) sequential scan."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    users_plan = users_matching("שָׂרָה").explain()
    organizations_plan = organizations_matching("עירייה").explain()
    assert "Bitmap Index Scan on core_user_search_trgm" in users_plan
    assert "Bitmap Index Scan on people_organization_search_trgm" in organizations_plan
    assert "Seq Scan" not in users_plan + organizations_plan
