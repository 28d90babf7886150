"""A community member in a real browser, in Hebrew: searches, finds an expert and an item,
registers for an event. Each page is checked with axe-core against WCAG 2.1 A/AA."""

from __future__ import annotations

import datetime

from django.utils import timezone

from movilim.community import services
from movilim.community.models import KnowledgeItem, Registration

from ..community import helpers


def test_a_member_searches_finds_an_expert_and_an_item_and_registers(page, axe, world, live_server):
    helpers.members(world)
    fellow = world.fellow_person
    fellow.expertise = "רכש חדשנות, ענן"
    fellow.save()
    item = KnowledgeItem.objects.create(
        program=world.program,
        kind="case",
        title="ניתוח אירוע: רכש חדשנות במשרד הבריאות",
        body="איך **קנינו** פתרון שעוד לא היה קיים",
        author=fellow,
        published_on=timezone.localdate(),
    )
    event = services.event_create(
        program=world.program,
        kind="meeting",
        title="מפגש קהילה: רכש חדשני",
        starts_on=timezone.localdate() + datetime.timedelta(days=14),
        capacity=20,
    )

    page.log_in(world.participant.email)
    page.open("/community/")
    axe("community home")
    box = page.find("#community-q")
    box.send_keys("ברכש")
    page.click_and_wait(page.find("main form[role=search] button[type=submit]"))
    assert page.find("html").get_attribute("dir") == "rtl"
    results = page.find("main").text
    assert item.title in results and fellow.full_name in results
    axe("search results")

    page.click_and_wait(page.find("main a[href^='/search/experts/?q=']"))
    experts = page.find("main ol").text
    assert fellow.full_name in experts and item.title in experts  # the evidence beside the name
    axe("who can help")

    page.open(f"/community/knowledge/{item.pk}/")
    assert page.find("article strong").text == "קנינו"
    axe("knowledge item")

    page.open(f"/community/events/{event.pk}/")
    page.click_and_wait(page.find(f"form[action='/community/events/{event.pk}/register/'] button"))
    assert Registration.objects.get(event=event, person=world.participant_person).status == (
        "registered"
    )
    assert page.find("[role=status]").text
    axe("event, registered")
