"""Help pages: one short page per screen (``templates/help/<screen>.html``, translated), linked
from the screen by ``templates/includes/help_link.html``. A screen gets help by adding its page
here and the link there."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.decorators import staff_required

SCREENS = {
    "cases": _("Cases"),
    "case": _("A case"),
    "team": _("Team"),
    "audit": _("Audit log"),
    "statistics": _("Statistics"),
}


@staff_required()
def help_page(request, screen: str):
    if screen not in SCREENS:
        raise Http404
    return render(
        request, f"help/{screen}.html", {"screen": screen, "screen_title": SCREENS[screen]}
    )
