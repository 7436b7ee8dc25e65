"""``kuzot serve --workers 2``: two gunicorn worker processes share the complaint limits and the
one-time form tokens through the database (issue 18, section 4). Each test pins two keep-alive
connections to the two workers (found from /proc) and alternates between them.
"""

import http.client
import re

import pytest

from kuzot.intake.abuse import MAX_PER_DAY
from kuzot.intake.models import Submission
from tests.serving import Browser, form_token, multipart, served, worker_of


class Connection:
    """A keep-alive connection to one worker, with a browser's cookies."""

    def __init__(self, server, browser: Browser):
        self.server, self.browser = server, browser
        self.http = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        self.http.request("GET", "/healthz")
        self.http.getresponse().read()
        self.worker = worker_of(server, self.http.sock)

    def still_on_its_worker(self) -> bool:
        return worker_of(self.server, self.http.sock) == self.worker

    def complain(self, csrf: str, token: str, forwarded_for: str) -> str:
        fields = {
            "csrfmiddlewaretoken": csrf,
            "about": "me",
            "what_happened": "They beat me at the district police station.",
            "contact_how": "none",
            "token": token,
        }
        body, content_type = multipart(fields, [])
        self.http.request(
            "POST",
            "/complaint/a/",
            body,
            {
                "Content-Type": content_type,
                "Cookie": self.browser.cookie_header(),
                "X-Forwarded-For": forwarded_for,
            },
        )
        return self.http.getresponse().read().decode()


def two_workers(server, browser: Browser) -> tuple[Connection, Connection]:
    first = Connection(server, browser)
    for _ in range(50):
        second = Connection(server, browser)
        if second.worker != first.worker:
            return first, second
        second.http.close()
    raise AssertionError("every connection went to the same worker")


@pytest.mark.django_db(transaction=True)
def test_a_form_token_spent_on_one_worker_is_refused_on_the_other(world, tmp_path):
    with served(tmp_path, "--workers", "2", "--threads", "2") as server:
        browser = Browser(server.base)
        csrf = browser.csrf("/complaint/a/")
        first, second = two_workers(server, browser)
        token = form_token()
        accepted = first.complain(csrf, token, "198.51.100.1")
        replayed = second.complain(csrf, token, "198.51.100.1")
        assert first.still_on_its_worker() and second.still_on_its_worker()
    assert re.search(r'id="receipt">[\d ]{19}<', accepted)
    assert "sent twice" in replayed and 'id="receipt"' not in replayed
    assert Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_senders_daily_limit_holds_across_workers(world, tmp_path):
    with served(tmp_path, "--workers", "2", "--threads", "2") as server:
        browser = Browser(server.base)
        csrf = browser.csrf("/complaint/a/")
        connections = two_workers(server, browser)
        for n in range(MAX_PER_DAY + 1):
            connections[n % 2].complain(csrf, form_token(), "198.51.100.9")
        connections[0].complain(csrf, form_token(), "203.0.113.5")
        assert all(connection.still_on_its_worker() for connection in connections)
    held = list(Submission.objects.order_by("id").values_list("held", flat=True))
    assert held == [False] * MAX_PER_DAY + [True, False]
