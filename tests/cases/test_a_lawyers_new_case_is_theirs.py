"""A lawyer who registers a case finds themself chosen as its lawyer (they may choose another):
a strict case they register stays visible to them. A coordinator chooses."""

import re

from django.urls import reverse


def chosen_lawyer(page: str) -> list[str]:
    select = re.search(r'<select name="assigned_lawyer".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="\d+" selected>([^<]+)</option>', select)


def test_a_lawyers_new_case_is_assigned_to_them(world, signed_in):
    page = signed_in("a-lawyer").get(reverse("new_case")).content.decode()
    assert chosen_lawyer(page) == ["a-lawyer"]


def test_a_coordinators_new_case_has_no_lawyer_chosen(world, signed_in):
    page = signed_in("a-coordinator").get(reverse("new_case")).content.decode()
    assert chosen_lawyer(page) == []
