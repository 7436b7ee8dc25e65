from django.http import HttpResponse
from django.shortcuts import redirect, render

from kuzot.accounts.decorators import staff_required
from kuzot.intake.selectors import unseen_count


@staff_required()
def home(request):
    if request.user.is_system_admin:
        return redirect("organisations")
    return render(request, "home.html", {"complaints_waiting": unseen_count(request.user)})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
