"""The coordinator's audit export opens in a spreadsheet: a cell that begins like a formula
(a username) is written with an apostrophe, never run (CSV injection)."""

import csv
import io

from django.urls import reverse

from kuzot.audit.log import Action, record

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def test_the_audit_export_holds_no_formula(world, signed_in):
    lawyer = world.user("a-lawyer")
    for formula in FORMULAS:
        lawyer.username = formula  # as an account renamed by hand could be
        record(lawyer, Action.EXPORT)
    response = signed_in("a-coordinator").get(reverse("audit_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    found = [c for row in rows for c in row]
    assert not [c for c in found if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    for formula in FORMULAS:
        assert f"'{formula}" in found
