from datetime import date

from django.http import HttpResponse
from django.shortcuts import redirect, render

from kuzot.accounts.decorators import staff_required
from kuzot.cases import selectors as cases
from kuzot.intake.selectors import waiting
from kuzot.recommendations.selectors import due_for_follow_up


@staff_required()
def home(request):
    if request.user.is_system_admin:
        return redirect("organisations")
    user = request.user
    return render(
        request,
        "home.html",
        {
            "waiting": waiting(user),
            "upcoming": cases.upcoming(user)[:50],
            "counts": cases.case_counts(user),
            "follow_up": due_for_follow_up(user)[:20],
            "today": date.today(),
        },
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
