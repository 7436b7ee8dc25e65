"""A report for a year statistics cannot have (year 0, 99999, next year) is refused with a
message naming the years there are, on the screen (no 500) and by `kuzot report` (exit 2, no
traceback); a year in range still gives its report."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

OUT_OF_RANGE = [0, 1, 1990, date.today().year + 1, 9999, 10000, 99999]


@pytest.mark.parametrize("year", OUT_OF_RANGE)
def test_the_report_screen_says_which_years_there_are(year, world, signed_in):
    client = signed_in("a-coordinator")
    response = client.get(reverse("report", args=[year]), follow=True)
    assert response.status_code == 200
    assert f"There is no annual report for {year}" in response.content.decode()


@pytest.mark.parametrize("year", OUT_OF_RANGE)
def test_kuzot_report_exits_2_with_a_message(year, world, tmp_path):
    out = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=f"no annual report for {year}") as refused:
        call_command("report", year=year, organisation="a", out=out)
    assert refused.value.returncode == 2 and not out.exists()


def test_kuzot_report_for_a_year_without_data_says_so(world, ninety_acts, tmp_path):
    """2005 is a year statistics may have, but no case was taken in and no act happened then:
    no empty report is written."""
    out = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="There is no data for 2005") as refused:
        call_command("report", year=2005, organisation="a", out=out)
    assert refused.value.returncode == 2 and not out.exists()
    call_command("report", year=2022, organisation="a", out=out)
    assert out.read_bytes().startswith(b"%PDF")


def test_the_report_screen_for_a_year_without_data_says_so(world, ninety_acts, signed_in):
    response = signed_in("a-coordinator").get(reverse("report", args=[2005]), follow=True)
    assert response.status_code == 200
    assert "There is no data for 2005" in response.content.decode()
