from django.http import HttpResponse
from django.shortcuts import redirect, render

from kuzot.accounts.decorators import staff_required


@staff_required()
def home(request):
    if request.user.is_system_admin:
        return redirect("organisations")
    return render(request, "home.html")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
