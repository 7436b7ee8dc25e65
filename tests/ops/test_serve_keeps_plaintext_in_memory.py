"""The web server never writes a complaint or a decrypted evidence file to a temporary file.

waitress spooled request bodies over 512 KiB and responses over 1 MiB to deleted temporary
files, from which a complaint's story and attachment and a downloaded evidence file were read
back (issue 10, item 2). Here a real ``kuzot serve`` — one waitress process, and two gunicorn
workers — receives a 2 MB complaint and sends a 2 MB evidence file while the test looks at
every file its processes hold open.
"""

import os
import socket
from datetime import date

import pytest

from kuzot.accounts.models import User
from kuzot.cases.actions import register_case, register_person
from kuzot.cases.evidence import store_evidence
from kuzot.intake.models import Submission
from kuzot.uploads import MIB
from tests.conftest import PASSWORD
from tests.serving import (
    Browser,
    form_token,
    multipart,
    read_response,
    served,
    wait_until_read_by_server,
    wait_until_server_waits_on,
)

STORY = "Следователь бил меня в кабинете 12"


SERVERS = pytest.mark.parametrize("workers", ["1", "2"], ids=["waitress", "gunicorn"])


@SERVERS
@pytest.mark.django_db(transaction=True)
def test_a_2_mb_complaint_is_received_without_a_temporary_file(world, tmp_path, workers):
    letter = b"%PDF-1.4 " + os.urandom(2 * MIB)
    with served(tmp_path, "--workers", workers) as server:
        browser = Browser(server.base)
        csrf = browser.csrf("/complaint/a/")
        fields = {
            "csrfmiddlewaretoken": csrf,
            "about": "me",
            "what_happened": STORY,
            "contact_how": "none",
            "consent": ["documentation"],
            "token": form_token(),
        }
        body, content_type = multipart(fields, [("files", "letter.pdf", letter)])
        request = browser.raw_request("POST", "/complaint/a/", body, {"Content-Type": content_type})
        with socket.create_connection(("127.0.0.1", server.port)) as client:
            client.sendall(request[:-1])  # the server holds all but the last byte meanwhile
            wait_until_read_by_server(client, server.port)
            spooled = server.spooled()
            client.sendall(request[-1:])
            status, page = read_response(client)
    assert spooled == []
    assert status == 200 and b'id="receipt"' in page, page[:3000]
    assert Submission.objects.get().attachments.count() == 1


@SERVERS
@pytest.mark.django_db(transaction=True)
def test_a_2_mb_evidence_file_is_sent_without_a_temporary_file(world, tmp_path, workers):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    User.objects.filter(pk=lawyer.pk).update(totp_exempt=True)
    victim = register_person(lawyer, vault, full_name="Азимжан Аскаров")
    case = register_case(lawyer, vault, intake_date=date(2024, 3, 1), victim=victim)
    data = b"%PDF-1.4 " + os.urandom(2 * MIB)
    evidence = store_evidence(lawyer, vault, case, filename="справка.pdf", data=data)
    with served(tmp_path, "--workers", workers) as server:
        browser = Browser(server.base)
        browser.log_in("a-lawyer", PASSWORD)
        with socket.socket() as client:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a slow reader
            client.connect(("127.0.0.1", server.port))
            client.sendall(browser.raw_request("GET", f"/evidence/{evidence.pk}/original/"))
            wait_until_server_waits_on(client, server.port)
            spooled = server.spooled()
            status, body = read_response(client)
    assert spooled == []
    assert status == 200 and body == data
