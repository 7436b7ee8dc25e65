"""A flood of receipt guesses cannot take the server's memory: at most ``KUZOT_KDF_CONCURRENCY``
Argon2 derivations run at once, the others wait their turn briefly or are told the server is
busy (issue 10, item 12: eight anonymous guesses at once added 800 MB and stalled the server).
"""

import threading
from pathlib import Path

import pytest

from tests.serving import Browser, served

MIB = 1024 * 1024


def peak_memory(pid: int) -> int:
    """The process's highest resident memory so far (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def guess(browser: Browser, token: str, start: threading.Barrier, answers: list) -> None:
    start.wait()
    answers.append(
        browser.post(
            "/complaint/follow-up/",
            {"csrfmiddlewaretoken": token, "receipt": "1234 5678 9012 3456"},
        )
    )


@pytest.mark.django_db(transaction=True)
def test_eight_receipt_guesses_at_once_hold_two_derivations_of_memory(world, tmp_path):
    derivation = 64 * MIB
    with served(
        tmp_path,
        KUZOT_KDF_MEMORY_KIB=str(derivation // 1024),
        KUZOT_KDF_CONCURRENCY="2",
    ) as server:
        browsers = [Browser(server.base) for _ in range(8)]
        tokens = [browser.csrf("/complaint/follow-up/") for browser in browsers]
        guess(browsers[0], tokens[0], threading.Barrier(1), [])  # one derivation: the baseline
        before = peak_memory(server.process.pid)
        start, answers = threading.Barrier(8), []
        threads = [
            threading.Thread(target=guess, args=(browser, token, start, answers))
            for browser, token in zip(browsers, tokens, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        grown = peak_memory(server.process.pid) - before
    assert len(answers) == 8
    for status, page in answers:
        assert (status, "No complaint has this receipt" in page) == (200, True) or (
            status == 503 and "The server is busy" in page
        )
    # One more derivation than the baseline's at most, and some slack for threads' buffers.
    assert grown < 1.5 * derivation, f"{grown / MIB:.0f} MiB more at the peak"
