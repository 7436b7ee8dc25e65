from django.http import HttpResponse
from django.shortcuts import redirect, render

from kuzot.accounts.decorators import staff_required
from kuzot.cases import selectors as cases
from kuzot.intake.selectors import waiting


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
        },
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
