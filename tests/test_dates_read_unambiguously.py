"""Dates read one way only: English shows "2 Dec 2026" or ISO "2026-12-02", never the US
"12/02/2026" (which reads as 12 February here); Kazakh has day-first formats of its own; and
month names inside a Kyrgyz or Kazakh date are not capitalised, on the public pages too."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from kuzot.cases.actions import register_case
from kuzot.stats.actions import publish

DECEMBER_2 = date(2026, 12, 2)
KY_MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь"]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "2 Dec 2026", "2026-12-02"),
        ("ru", "2 декабря 2026 г.", "02.12.2026"),
        ("ky", "2 декабрь 2026 ж.", "02.12.2026"),
        ("kk", "2 желтоқсан 2026 ж.", "02.12.2026"),
    ],
)
def test_dates_are_day_first_or_iso(language, long, short):
    with translation.override(language):
        assert date_format(DECEMBER_2) == long
        assert date_format(DECEMBER_2, "SHORT_DATE_FORMAT") == short
        at = datetime(2026, 12, 2, 14, 5)
        assert date_format(at, "SHORT_DATETIME_FORMAT") == f"{short} 14:05"


def test_the_audit_log_and_team_pages_show_unambiguous_english_dates(world, signed_in):
    client = signed_in("a-coordinator")
    client.post(reverse("invite"), {"role": "doctor"})
    today = timezone.localdate()
    team = client.get(reverse("team")).content.decode()
    assert re.search(r"expires \d{4}-\d{2}-\d{2} \d{2}:\d{2}", team)  # ISO
    log = client.get(reverse("audit_log")).content.decode()
    assert f"{today.day} {today.strftime('%b')} {today.year}, " in log
    assert today.strftime("%m/%d/%Y") not in log + team


def test_a_kyrgyz_public_page_writes_the_month_in_lower_case(world, client):
    register_case(world.user("a-lawyer"), world.vault("a"), intake_date=date(2024, 5, 2))
    publication = publish(
        world.user("a-coordinator"),
        title="Kyrgyz",
        coalition_wide=False,
        year_from=2024,
        year_to=2024,
        tables=["agency"],
    )
    page = client.get(
        reverse("public_publication", args=[publication.slug]), HTTP_ACCEPT_LANGUAGE="ky"
    ).content.decode()
    month = KY_MONTHS[timezone.localdate().month - 1]
    assert f" {month} {timezone.localdate().year} ж." in page
    assert f" {month.capitalize()} " not in page
