from django.urls import reverse


def test_cohort_page_shows_participants_to_coordinator(world, client_for):
    response = client_for("coordinator").get(reverse("programs:cohort", args=[world.cohort.pk]))
    assert response.status_code == 200
    assert world.participant_person.full_name in response.content.decode()
