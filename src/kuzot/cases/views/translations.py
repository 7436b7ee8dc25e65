"""The translation screen: a coordinator gives the organisation's data its labels in a language,
side by side with English and Russian, and sees what is missing or only suggested."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Role
from kuzot.cases import translations
from kuzot.languages import Status


@staff_required(Role.COORDINATOR)
def labels(request):
    choices = translations.translatable()
    language = request.GET.get("language")
    language = language if language in choices else choices[0]
    organisation = request.user.organisation
    rows = translations.rows(organisation)
    if request.method == "POST":
        changed = 0
        for row in rows:
            key = translations.context(row)
            if translations.owner(row) != organisation or f"text:{key}" not in request.POST:
                continue
            text = request.POST[f"text:{key}"].strip()
            suggested = request.POST.get(f"status:{key}") == Status.SUGGESTED
            status = Status.SUGGESTED if suggested else Status.TRANSLATED
            current = row.labels.get(language) or {}
            if text == current.get("text", "") and (not text or status == current["status"]):
                continue
            translations.translate(request.user, row, language, text, status)
            changed += 1
        saved = ngettext("%(n)d label saved.", "%(n)d labels saved.", changed)
        messages.success(request, saved % {"n": changed})
        return redirect(f"{request.path}?language={language}")
    only_open = request.GET.get("open") == "on"
    statuses = [row.label_status(language) for row in rows]
    table = [
        {
            "key": translations.context(row),
            "columns": row.column_labels(),
            "text": (row.labels.get(language) or {}).get("text", ""),
            "status": status,
            "editable": translations.owner(row) == organisation,
        }
        for row, status in zip(rows, statuses, strict=True)
        if not only_open or status != Status.TRANSLATED
    ]
    return render(
        request,
        "cases/translations.html",
        {
            "label_languages": [(c, name) for c, name in settings.LANGUAGES if c in choices],
            "language": language,
            "table": table,
            "only_open": only_open,
            "missing": statuses.count(Status.MISSING),
            "suggested": statuses.count(Status.SUGGESTED),
            "Status": Status,
        },
    )
