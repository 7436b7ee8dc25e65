"""The case list: filters on indexed columns, sorting, 50 a page, names for identity roles
only, one audit row per page, and a query count that does not grow with the page."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases import imports
from kuzot.cases.actions import add_allegation, register_case, register_person, update_case
from tests.cases.case_screens import a_case, term


def refs(response) -> list[str]:
    return [case.reference for case, _names in response.context["rows"]]


def build(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    made = {}
    made["beaten"] = a_case(
        world,
        name="Бакыт Сыдыков",
        intake_date=date(2023, 5, 1),
        assigned_lawyer=lawyer,
        reference="KG-A",
    )
    add_allegation(
        lawyer,
        vault,
        made["beaten"],
        date=date(2023, 4, 20),
        act_types=[term("act_type", "beating")],
        agency=term("agency", "police"),
        region=term("region", "kg-chuy"),
    )
    made["shocked"] = a_case(
        world, name="Эрлан Касымов", intake_date=date(2024, 2, 1), reference="KG-B"
    )
    add_allegation(
        lawyer,
        vault,
        made["shocked"],
        date=date(2024, 1, 10),
        act_types=[term("act_type", "electric_shock")],
        agency=term("agency", "national_security"),
        region=term("region", "kg-osh"),
    )
    minor = register_person(lawyer, vault, full_name="Тимур Алиев", minor=True)
    made["minor"] = register_case(
        lawyer, vault, intake_date=date(2024, 6, 1), victim=minor, reference="KG-C"
    )
    update_case(lawyer, vault, made["minor"], status="monitoring")
    return made


def test_each_filter_narrows_the_list(world, signed_in):
    build(world)
    client = signed_in("a-lawyer")
    url = reverse("cases")
    assert refs(client.get(url)) == ["KG-C", "KG-B", "KG-A"]
    lawyer = world.user("a-lawyer")
    expectations = {
        "status=monitoring": ["KG-C"],
        "year=2024": ["KG-C", "KG-B"],
        f"region={term('region', 'kg-chuy').pk}": ["KG-A"],
        f"agency={term('agency', 'national_security').pk}": ["KG-B"],
        f"act_type={term('act_type', 'beating').pk}": ["KG-A"],
        "group=minor": ["KG-C"],
        f"lawyer={lawyer.pk}": ["KG-A"],
        "stage=documented&year=2023": ["KG-A"],
        "stage=conviction": [],
        f"year=2024&act_type={term('act_type', 'beating').pk}": [],
    }
    for query, expected in expectations.items():
        assert refs(client.get(f"{url}?{query}")) == expected, query


def test_sorting_and_bad_input(world, signed_in):
    build(world)
    client = signed_in("a-analyst")
    url = reverse("cases")
    assert refs(client.get(f"{url}?sort=reference")) == ["KG-A", "KG-B", "KG-C"]
    assert refs(client.get(f"{url}?sort=intake_date")) == ["KG-A", "KG-B", "KG-C"]
    assert refs(client.get(f"{url}?sort=stage")) == ["KG-C", "KG-B", "KG-A"]
    for bad in ("year=abc", "region=999999", "sort=password", "page=zzz", "page=99", "group=x"):
        assert client.get(f"{url}?{bad}").status_code == 200, bad


def test_identity_roles_see_names_in_one_audit_row_analysts_do_not(world, signed_in):
    made = build(world)
    page = signed_in("a-lawyer").get(reverse("cases")).content.decode()
    assert "Бакыт Сыдыков" in page and "Тимур Алиев" in page
    rows = AuditEvent.objects.filter(actor=world.user("a-lawyer"), action="view_identity")
    assert rows.count() == 1
    assert sorted(rows.get().detail["case_list"]) == sorted(c.pk for c in made.values())
    page = signed_in("a-analyst").get(reverse("cases")).content.decode()
    assert "Бакыт" not in page and "Сыдыков" not in page
    assert not AuditEvent.objects.filter(actor=world.user("a-analyst"), action="view_identity")


def test_fifty_a_page_and_the_filters_survive_paging(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    for day in range(1, 56):
        register_case(
            lawyer,
            vault,
            intake_date=date(2022, 1, 1).replace(day=(day % 28) + 1, month=(day % 12) + 1),
        )
    register_case(lawyer, vault, intake_date=date(2021, 1, 1))
    client = signed_in("a-lawyer")
    first = client.get(reverse("cases") + "?year=2022")
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 55
    html = first.content.decode()
    assert "year=2022&amp;page=2" in html
    second = client.get(reverse("cases") + "?year=2022&page=2")
    assert len(second.context["rows"]) == 5


def test_queries_do_not_grow_with_the_page(world, signed_in):
    client = signed_in("a-lawyer")
    lawyer, vault = world.user("a-lawyer"), world.vault("a")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cases")).status_code == 200
        return len(captured)

    for i in range(2):
        a_case(world, name=f"Name {i}", assigned_lawyer=lawyer)
    few = queries()
    for i in range(12):
        person = register_person(lawyer, vault, full_name=f"Other {i}", minor=True)
        case = register_case(
            lawyer, vault, intake_date=date(2024, 1, 2), victim=person, assigned_lawyer=lawyer
        )
        add_allegation(
            lawyer, vault, case, date=date(2024, 1, 1), act_types=[term("act_type", "beating")]
        )
    assert queries() == few


def test_htmx_swaps_only_the_table(world, signed_in):
    build(world)
    response = signed_in("a-lawyer").get(
        reverse("cases") + "?status=monitoring",
        headers={"HX-Request": "true", "HX-Target": "case-results"},
    )
    html = response.content.decode()
    assert html.startswith('<div id="case-results"') and "<html" not in html
    assert "KG-C" in html and "KG-A" not in html
    full = signed_in("a-lawyer").get(reverse("cases")).content.decode()
    assert 'hx-get="/cases/"' in full and 'hx-target="#case-results"' in full
    assert '<th scope="col"' in full and "<caption>" in full


def test_a_case_is_found_by_kuzots_reference_or_the_one_it_was_imported_under(world, signed_in):
    build(world)
    register = "Номер дела;Дата обращения;ФИО\nДело 45/2019;01.03.2019;Асанова Гульмира\n"
    table = imports.read_table(register.encode(), "register.csv")
    imports.run_import(
        world.user("a-lawyer"), world.vault("a"), table, imports.guess_mapping(table.headers)
    )
    lawyer, analyst = signed_in("a-lawyer"), signed_in("a-analyst")
    assert refs(lawyer.get(reverse("cases"), {"reference": "KG-B"})) == ["KG-B"]
    assert refs(lawyer.get(reverse("cases"), {"reference": "Дело 45/2019"})) == ["KG-2019-0001"]
    # Without the organisation's key, the imported reference finds nothing.
    assert refs(analyst.get(reverse("cases"), {"reference": "Дело 45/2019"})) == []
    assert refs(analyst.get(reverse("cases"), {"reference": "KG-2019-0001"})) == ["KG-2019-0001"]
