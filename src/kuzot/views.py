from datetime import date

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Role
from kuzot.cases import selectors as cases
from kuzot.intake import selectors as intake
from kuzot.recommendations.selectors import due_for_follow_up
from kuzot.stats.charts import Bar, bar_chart, line_chart
from kuzot.stats.selectors import headlines


@staff_required()
def home(request):
    """Each role's dashboard: what needs doing this week, and where things stand."""
    if request.user.is_system_admin:
        return redirect("organisations")
    user = request.user
    context = {
        "waiting": intake.waiting(user),
        "upcoming": cases.upcoming(user)[:50],
        "counts": cases.case_counts(user),
        "follow_up": due_for_follow_up(user)[:20],
        "today": date.today(),
    }
    if user.role == Role.COORDINATOR:
        by_stage = cases.open_by_stage(user)
        context |= {
            "by_stage": by_stage,
            "stage_chart": bar_chart(
                "chart-stages",
                _("Open cases by stage"),
                [Bar(name, n) for _stage, name, n in by_stage],
            )
            if by_stage
            else "",
            "this_week": cases.upcoming(user, days=7),
            "expiring": intake.expiring(user),
        }
    if user.role == Role.LAWYER:
        context["mine"] = cases.my_open_cases(user)[:20]
    if user.role == Role.ANALYST:
        found = headlines(user)
        context["headlines"] = found
        if found and found.acts_by_year:
            context["trend_chart"] = line_chart(
                "chart-trend", _("Acts documented per year"), {_("Acts"): found.acts_by_year}
            )
    return render(request, "home.html", context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
