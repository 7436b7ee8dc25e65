"""Import, export and the annual report are reached from the lists: the case list links to
importing (coordinators and lawyers) and to exporting (everyone who sees the list, with names
only for roles that see identities); the statistics screen links to the annual reports of the
years with data (coordinators and analysts) and to the categories-only export."""

import re
from datetime import date

import pytest
from django.urls import reverse

from kuzot.cases.actions import register_case

IMPORT = "Import cases from a spreadsheet"


def links(page: str) -> dict[str, str]:
    return {
        re.sub(r"<[^>]+>", "", text).strip(): href.replace("&amp;", "&")
        for href, text in re.findall(r'<a[^>]* href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    }


@pytest.mark.parametrize(
    ("role", "imports", "names"),
    [
        ("coordinator", True, True),
        ("lawyer", True, True),
        ("monitor", False, True),
        ("doctor", False, True),
        ("analyst", False, False),
    ],
)
def test_the_case_list_links_to_import_and_export(world, signed_in, role, imports, names):
    client = signed_in(f"a-{role}")
    page = client.get(reverse("cases")).content.decode()
    assert (IMPORT in page) is imports
    if imports:
        assert links(page)[IMPORT] == reverse("import_upload")
        assert client.get(reverse("import_upload")).status_code == 200
    exports = re.findall(r'href="(/cases/export\.(?:csv|xlsx)[^"]*)"', page)
    assert reverse("case_export_csv") in exports and reverse("case_export_xlsx") in exports
    assert (f"{reverse('case_export_csv')}?identities=1" in exports) is names
    for url in exports:
        response = client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(("role", "reports"), [("coordinator", True), ("analyst", True),
                                               ("lawyer", False)])  # fmt: skip
def test_the_statistics_screen_links_to_the_reports_of_years_with_data(
    world, signed_in, role, reports
):
    register_case(world.user("a-lawyer"), world.vault("a"), intake_date=date(2024, 5, 2))
    client = signed_in(f"a-{role}")
    page = client.get(reverse("statistics")).content.decode()
    found = links(page)
    assert ("2024" in found) is reports
    if reports:
        assert found["2024"] == reverse("report", args=[2024])
        assert "2023" not in found, "a year without data has no report"
    assert f'href="{reverse("case_export_csv")}?statistics=1"' in page
