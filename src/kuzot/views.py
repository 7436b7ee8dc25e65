from django.http import HttpResponse
from django.shortcuts import redirect, render

from kuzot.accounts.decorators import staff_required
from kuzot.cases import selectors as cases
from kuzot.intake.selectors import unseen_count


@staff_required()
def home(request):
    if request.user.is_system_admin:
        return redirect("organisations")
    user = request.user
    return render(
        request,
        "home.html",
        {
            "complaints_waiting": unseen_count(user),
            "upcoming": cases.upcoming(user)[:50],
            "counts": cases.case_counts(user),
        },
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
