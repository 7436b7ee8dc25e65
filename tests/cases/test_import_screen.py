"""Upload → choose columns → dry run → import → download rejected rows, as a lawyer; the file
is never stored in clear; analysts may not import."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kuzot.cases.models import Case, PendingImport
from tests.cases import register_sample
from tests.jobs import worker
from tests.scanning import database_bytes


@pytest.mark.django_db(transaction=True)
def test_a_lawyer_imports_a_spreadsheet_through_the_screens(world, signed_in):
    data, bad = register_sample.xlsx(200)
    client = signed_in("a-lawyer")
    assert client.get(reverse("import_upload")).status_code == 200
    response = client.post(
        reverse("import_upload"),
        {"file": SimpleUploadedFile("реестр.xlsx", data), "sheet": ""},
    )
    assert response.status_code == 302, response.content[:300]
    pending = PendingImport.objects.get()
    assert response.url == reverse("import_map", args=[pending.pk])
    # Sealed: neither the file nor a name from it is in the database in clear.
    rows, _ = register_sample.rows(200)
    assert rows[0][2].encode() not in database_bytes()
    assert b"PK\x03\x04" not in bytes(pending.file)

    page = client.get(response.url)
    assert page.status_code == 200
    assert 'name="column-2"' in page.content.decode()
    assert '<option value="full_name" selected>' in page.content.decode()

    # Map the name column away: the mapping step refuses (the name is required).
    form = {f"column-{i}": "" for i in range(len(register_sample.HEADERS))}
    refused = client.post(reverse("import_map", args=[pending.pk]), form)
    assert refused.status_code == 200 and not Case.objects.exists()

    guessed = {f"column-{i}": "" for i in range(len(register_sample.HEADERS))}
    for i, header in enumerate(register_sample.HEADERS):
        guessed[f"column-{i}"] = {"ФИО": "full_name", "Дата обращения": "intake_date"}.get(
            header, ""
        )
    guessed["column-0"] = "reference"
    guessed["column-9"] = "region"
    guessed["column-8"] = "act_date"
    guessed["column-11"] = "act_types"
    mapped = client.post(reverse("import_map", args=[pending.pk]), guessed)
    assert mapped.url == reverse("import_check", args=[pending.pk])

    dry = client.get(mapped.url)
    text = dry.content.decode()
    assert dry.status_code == 200 and not Case.objects.exists()
    failing = [line for line, kind in bad.items() if kind != "future birth"]  # year not mapped
    assert f'<dd id="count-failed">{len(failing)}</dd>' in text
    for line in failing:
        assert f"<td>{line}</td>" in text

    # The import runs as a background job; the key it needs goes sealed to the live worker.
    worker.start_worker()
    job = worker.finish(client, client.post(reverse("import_run", args=[pending.pk])))
    assert job.result_url == reverse("import_result", args=[pending.pk])
    assert f"{200 - len(failing)} cases imported" in job.outcome
    assert Case.objects.count() == 200 - len(failing)
    done = client.get(reverse("job", args=[job.pk]))
    assert job.result_url in done.content.decode()
    pending.refresh_from_db()
    assert pending.file is None and pending.imported == 200 - len(failing)
    result = client.get(job.result_url)
    assert reverse("import_rejected", args=[pending.pk]) in result.content.decode()

    download = client.get(reverse("import_rejected", args=[pending.pk]))
    assert download.status_code == 200
    kept = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert sorted(int(row["line"]) for row in kept) == sorted(failing)
    assert all(row["reason"] for row in kept)

    # Someone else's import is not found; dismissing deletes it.
    other = signed_in("a-coordinator")
    assert other.get(reverse("import_rejected", args=[pending.pk])).status_code == 404
    client.post(reverse("import_dismiss", args=[pending.pk]))
    assert not PendingImport.objects.exists()


def test_analysts_doctors_and_monitors_may_not_import(world, signed_in):
    for role in ("analyst", "doctor", "monitor"):
        client = signed_in(f"a-{role}")
        assert client.get(reverse("import_upload")).status_code == 403
        response = client.post(
            reverse("import_upload"), {"file": SimpleUploadedFile("r.csv", b"a,b\n1,2\n")}
        )
        assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_an_unreadable_or_oversized_file_is_refused_with_a_reason(world, signed_in, settings):
    client = signed_in("a-lawyer")
    response = client.post(
        reverse("import_upload"), {"file": SimpleUploadedFile("r.xlsx", b"PK\x03\x04broken")}
    )
    assert response.status_code == 200 and "XLSX" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_without_a_running_worker_the_import_waits_and_says_why(world, signed_in):
    data, _bad = register_sample.xlsx(5)
    client = signed_in("a-lawyer")
    client.post(reverse("import_upload"), {"file": SimpleUploadedFile("r.xlsx", data)})
    pending = PendingImport.objects.get()
    refused = client.post(reverse("import_run", args=[pending.pk]), follow=True)
    assert "No background worker is running" in refused.content.decode()
    assert not Case.objects.exists() and PendingImport.objects.filter(pk=pending.pk).exists()
