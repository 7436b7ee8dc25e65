"""Load: 50 concurrent submitters send 500 complaints to the embedded default; none is lost,
and a recipient reads every one back.

    .venv/bin/python bench/bench_intake.py [--submitters 50] [--complaints 500] [--workers 1]

Starts `kuzot serve` on a fresh SQLite data folder (demo data for the recipients), drives it
over HTTP from threads like browsers would (form, wait, post with a photo), then opens every
stored complaint with the coordinator's password. Prints a Markdown row for docs/benchmarks.md.
"""

import argparse
import http.cookiejar
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
KUZOT = [sys.executable, "-m", "kuzot.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(env: dict, threads: int = 16, workers: int = 1) -> Iterator[str]:
    """``kuzot serve`` with ``env`` on a free port of 127.0.0.1, once it answers: its address."""
    port = free_port()
    server = subprocess.Popen(
        [*KUZOT, "serve", "--port", str(port), "--threads", str(threads)]
        + ["--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # start-up takes seconds on a loaded machine
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "maroon").save(out, format="JPEG")
    return out.getvalue()


JPEG = photo()


def submit_one(base: str, n: int) -> tuple[float, bool]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/complaint/kg/").read().decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    time.sleep(3.1)  # a person takes longer; the form asks for at least 3 seconds
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": csrf,
            "token": token,
            "about": "me",
            "contact_how": "none",
            "what_happened": f"Load test complaint number {n}: beaten at the district station.",
            "consent": ["documentation", "statistics"],
        },
        {"files": (f"photo-{n}.jpg", JPEG)},
    )
    request = urllib.request.Request(
        f"{base}/complaint/kg/",
        data=body,
        headers={"Content-Type": content_type, "Referer": f"{base}/complaint/kg/", "Origin": base},
    )
    started = time.perf_counter()
    answer = opener.open(request).read().decode()
    return time.perf_counter() - started, bool(re.search(r'id="receipt">[\d ]{19}<', answer))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submitters", type=int, default=50)
    parser.add_argument("--complaints", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1, help="kuzot serve --workers")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="kuzot-bench-intake-"))
    env = {**os.environ, "KUZOT_DATA_DIR": str(data)}
    env.pop("KUZOT_DATABASE_URL", None)
    subprocess.run([*KUZOT, "demo"], env=env, check=True, capture_output=True)
    with serving(env, workers=args.workers) as base:
        started = time.perf_counter()
        with ThreadPoolExecutor(args.submitters) as pool:
            results = list(pool.map(lambda n: submit_one(base, n), range(args.complaints)))
        wall = time.perf_counter() - started
    latencies = sorted(r[0] for r in results)
    receipts = sum(r[1] for r in results)
    read_back = subprocess.run(
        [*KUZOT, "shell", "--no-imports", "-c", READ_BACK],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    stored, readable, held = map(int, read_back)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"| {args.workers} | {args.submitters} | {args.complaints} | {receipts} | {stored} | "
        f"{readable} | "
        f"{held} | {wall:.1f} s | {statistics.median(latencies) * 1000:.0f} ms | "
        f"{p95 * 1000:.0f} ms |"
    )


READ_BACK = """
from kuzot.accounts.models import User
from kuzot.accounts.vault import unlock
from kuzot.intake import actions
from kuzot.intake.models import Submission
from kuzot.ops.demo import DEMO_PASSWORD
user = User.objects.get(username="kg-coordinator")
keyring = unlock(user, DEMO_PASSWORD)
readable = 0
for s in Submission.objects.filter(organisation__slug="kg"):
    key = actions.open_as_recipient(user, keyring, s)
    text = actions.read_content(s, key)["what_happened"]
    files = actions.attachments(s, key)
    readable += text.startswith("Load test complaint") and len(files) == 1
print(Submission.objects.count(), readable, Submission.objects.filter(held=True).count())
"""

if __name__ == "__main__":
    main()
