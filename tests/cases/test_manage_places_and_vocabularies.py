"""A coordinator records and edits places of detention and the organisation's own vocabulary
terms on screens; the act form offers them; other roles only read them."""

from datetime import date

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import add_allegation
from kuzot.cases.models import PlaceOfDetention, Term
from tests.cases.case_screens import a_case, term


def place_form(**changes) -> dict:
    return {
        "name_en": "IVS of Jalal-Abad",
        "name_ru": "ИВС Джалал-Абад",
        "kind": term("place_type", "temporary_detention").pk,
        "authority": term("agency", "police").pk,
        "country": "kg",
        "region": term("region", "kg-jalal-abad").pk,
        "address": "ул. Токтогула 5",
        "capacity": "30",
    } | changes


def test_a_coordinator_records_and_edits_a_place_with_its_page(world, signed_in):
    coordinator = signed_in("a-coordinator")
    response = coordinator.post(reverse("new_place"), place_form())
    place = PlaceOfDetention.objects.get()
    assert response.status_code == 302 and response.url == reverse("place", args=[place.pk])
    assert (place.country, place.capacity, place.organisation) == ("KG", 30, world.orgs["a"])
    page = coordinator.get(reverse("place", args=[place.pk])).content.decode()
    assert "ИВС Джалал-Абад" in page and "ул. Токтогула 5" in page and "Police" in page

    response = coordinator.post(reverse("edit_place", args=[place.pk]), place_form(capacity="35"))
    place.refresh_from_db()
    assert place.capacity == 35
    assert AuditEvent.objects.filter(object_type="cases.placeofdetention", action="update").get(
    ).detail == {"fields": ["capacity"]}  # fmt: skip
    assert "IVS of Jalal-Abad" in coordinator.get(reverse("places")).content.decode()
    # Another organisation's coordinator neither sees nor edits it; the analyst reads it.
    other = signed_in("b-coordinator")
    assert other.get(reverse("place", args=[place.pk])).status_code == 404
    assert other.get(reverse("edit_place", args=[place.pk])).status_code == 404
    assert signed_in("a-analyst").get(reverse("place", args=[place.pk])).status_code == 200


def test_a_place_needs_a_name_and_a_region_of_its_country(world, signed_in):
    response = signed_in("a-coordinator").post(
        reverse("new_place"),
        place_form(name_en="", name_ru="", region=term("region", "kz-astana").pk),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the place&#x27;s name in one language at least." in page
    assert "This region is in another country." in page
    assert not PlaceOfDetention.objects.exists()


def test_the_act_form_offers_the_places(world, signed_in):
    signed_in("a-coordinator").post(reverse("new_place"), place_form())
    place = PlaceOfDetention.objects.get()
    case = a_case(world)
    lawyer = signed_in("a-lawyer")
    page = lawyer.get(reverse("new_allegation", args=[case.pk])).content.decode()
    assert "IVS of Jalal-Abad" in page
    response = lawyer.post(
        reverse("new_allegation", args=[case.pk]),
        {
            "date": "2024-02-01",
            "date_precision": "day",
            "act_types": [term("act_type", "beating").pk],
            "place_of_detention": place.pk,
        },
    )
    assert response.status_code == 302
    assert case.allegations.get().place_of_detention == place


def test_a_coordinator_adds_relabels_and_retires_a_term(world, signed_in):
    coordinator = signed_in("a-coordinator")
    response = coordinator.post(
        reverse("vocabularies"),
        {"vocabulary": "agency", "label_en": "Drug control agency", "label_ru": ""},
    )
    assert response.status_code == 302
    added = Term.objects.get(organisation=world.orgs["a"])
    assert (added.code, added.label_ru, added.active) == (
        "drug-control-agency",
        "Drug control agency",
        True,
    )
    case = a_case(world)
    add_allegation(
        world.user("a-lawyer"), world.vault("a"), case, date=date(2024, 2, 1),
        act_types=[term("act_type", "beating")], agency=added,
    )  # fmt: skip
    form = reverse("new_allegation", args=[case.pk])
    assert "Drug control agency" in signed_in("a-lawyer").get(form).content.decode()
    assert "Drug control agency" not in signed_in("b-lawyer").get(reverse("cases")).content.decode()

    coordinator.post(
        reverse("edit_term", args=[added.pk]),
        {"label_en": "Drug control agency", "label_ru": "Агентство по контролю наркотиков"},
    )  # "active" left unticked: retired
    added.refresh_from_db()
    assert added.label_ru == "Агентство по контролю наркотиков" and not added.active
    assert "Drug control agency" not in signed_in("a-lawyer").get(form).content.decode()
    assert case.allegations.get().agency == added  # the act keeps it
    page = coordinator.get(reverse("vocabularies")).content.decode()
    assert "retired" in page


def test_shipped_terms_are_not_edited_and_others_only_read(world, signed_in):
    shipped = term("agency", "police")
    assert (
        signed_in("a-coordinator").get(reverse("edit_term", args=[shipped.pk])).status_code == 404
    )
    assert signed_in("a-lawyer").get(reverse("vocabularies")).status_code == 403
    assert signed_in("a-lawyer").get(reverse("new_place")).status_code == 403
    assert signed_in("a-analyst").get(reverse("places")).status_code == 200
