"""The checklist as an XLSForm for ODK Collect / KoboCollect (converted by pyxform, as ODK
Central and Kobo do), and a phone's submission imported as a visit's findings."""

from pathlib import Path

import pytest
from django.urls import reverse
from pyxform.xls2xform import convert

from kuzot.accounts.vault import sealed_context
from kuzot.monitoring import odk
from kuzot.monitoring.models import Finding, Visit
from tests.monitoring.test_visit_a_place_of_detention import visited

SUBMISSION = (Path(__file__).parent / "data" / "submission.xml").read_bytes()


def test_the_checklist_converts_to_an_xform_with_every_area(world, signed_in):
    response = signed_in("a-monitor").get(reverse("visit_checklist"))
    assert response.status_code == 200
    xform = convert(xlsform=response.content, file_type=".xlsx").xform
    assert f'id="{odk.FORM_ID}"' in xform
    for value in Finding.Area.values:
        assert f">{value}<" in xform
    assert "размещение и переполненность" in xform and 'lang="Русский (ru)"' in xform


def test_a_submission_from_a_phone_becomes_the_visits_findings(world, signed_in):
    visit = visited(world)
    client = signed_in("a-monitor")
    url = reverse("import_submission", args=[visit.pk])
    with open(Path(__file__).parent / "data" / "submission.xml", "rb") as file:
        response = client.post(url, {"submission": file}, follow=True)
    assert "2 findings imported." in response.content.decode()
    first, second = Finding.objects.filter(visit=visit)
    assert (first.area, first.severity, first.rule) == ("accommodation", "high", "Mandela 13")
    assert (
        world.vault("a").open(first.description, sealed_context(Finding, "description"))
        == "Cell 14: 22 people, 8 beds."
    )
    assert (second.area, second.source) == ("health", "detainee")
    with open(Path(__file__).parent / "data" / "submission.xml", "rb") as file:
        again = client.post(url, {"submission": file}, follow=True).content.decode()
    assert "Nothing was imported: this submission" in again and Finding.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not xml at all", "not an ODK submission"),
        (SUBMISSION.replace(b'id="kuzot_visit_findings"', b'id="other"'), "another form"),
        (SUBMISSION.replace(b"<area>health</area>", b"<area>weather</area>"), "finding 2: area"),
        (SUBMISSION.replace(b"No doctor since January.", b""), "finding 2: what was found"),
        (
            b'<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><data id="x">&b;</data>',
            "not an ODK submission",
        ),
    ],
)
def test_a_bad_submission_imports_nothing_and_says_why(world, data, reason):
    visit: Visit = visited(world)
    with pytest.raises(odk.SubmissionRefused, match=reason):
        odk.import_submission(world.user("a-monitor"), world.vault("a"), visit, data)
    assert not Finding.objects.exists()
