"""A real ``kuzot serve`` process on the test database, and what can be seen of it from outside:
its processes' open files (/proc/<pid>/fd), the kernel's socket queues (/proc/net/tcp), and a
browser-like client. Tests that use it need ``django_db(transaction=True)``: the server reads
what the test committed."""

import http.cookiejar
import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from kuzot.intake.abuse import TOKEN_SALT

SECRET_KEY = "a test secret key for the served process, long enough to sign tokens 1234"


def database_url() -> str:
    """The test database, as ``KUZOT_DATABASE_URL`` for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite://{Path(db['NAME']).resolve()}"
    auth = urllib.parse.quote(db["USER"]) + (
        f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    )
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Server:
    base: str
    port: int
    process: subprocess.Popen
    tmpdir: Path

    def pids(self) -> list[int]:
        """The server process and its workers."""
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def spooled(self) -> list[tuple[int, str, int]]:
        """(pid, file, size) of every open temporary file with data in it: a file in the
        server's temporary directory, or a deleted one."""
        found = []
        for pid in self.pids():
            fds = Path(f"/proc/{pid}/fd")
            for fd in fds.iterdir() if fds.exists() else []:
                try:
                    target = os.readlink(fd)
                    info = os.stat(fd)
                except OSError:
                    continue
                temporary = target.startswith(str(self.tmpdir)) or target.endswith("(deleted)")
                if stat.S_ISREG(info.st_mode) and temporary and info.st_size > 0:
                    found.append((pid, target, info.st_size))
        return found


@contextmanager
def served(tmp_path: Path, *arguments: str, **environment: str) -> Iterator[Server]:
    """``kuzot serve`` on a free port with the test database and ``tmp_path`` as its data
    folder (so the same media folder as the test), its own temporary directory, cheap key
    derivations, demo mode (demo-exempt users skip two-factor) and a known secret key."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tmpdir = tmp_path / "server-tmp"
    tmpdir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "KUZOT_DATA_DIR": str(tmp_path),
        "KUZOT_DATABASE_URL": database_url(),
        "KUZOT_SECRET_KEY": SECRET_KEY,
        "KUZOT_KDF_TIME_COST": "1",
        "KUZOT_KDF_MEMORY_KIB": "1024",
        "KUZOT_DEMO": "1",
        "TMPDIR": str(tmpdir),
        **environment,
    }
    env.pop("KUZOT_PRODUCTION", None)
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "kuzot.cli", "serve", "--port", str(port), *arguments],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, tmpdir)
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(log.read_text())
            try:
                urllib.request.urlopen(f"{server.base}/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- The kernel's view of a connection -------------------------------------------------------


def _tcp_queues(local_port: int, remote_port: int) -> tuple[int, int] | None:
    """(bytes waiting to be sent, bytes received and not yet read) of one TCP socket."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            local, remote = int(parts[1].rsplit(":", 1)[1], 16), int(parts[2].rsplit(":", 1)[1], 16)
            if (local, remote) == (local_port, remote_port):
                tx, rx = (int(n, 16) for n in parts[4].split(":"))
                return tx, rx
    return None


def wait_until_read_by_server(client: socket.socket, server_port: int) -> None:
    """Block until everything sent on ``client`` has been read by the server process."""
    client_port = client.getsockname()[1]
    for _ in range(200):
        sending = _tcp_queues(client_port, server_port)
        receiving = _tcp_queues(server_port, client_port)
        if sending and receiving and sending[0] == 0 and receiving[1] == 0:
            time.sleep(0.3)  # the server stores what it read in the same step
            return
        time.sleep(0.05)
    raise AssertionError("the server did not read the request")


def wait_until_server_waits_on(client: socket.socket, server_port: int) -> None:
    """Block until the server has written all it can of a response the client does not read."""
    client_port = client.getsockname()[1]
    last = None
    for _ in range(200):
        queues = _tcp_queues(server_port, client_port)
        if queues and queues[0] > 0 and queues == last:
            return
        last = queues
        time.sleep(0.1)
    raise AssertionError("the server did not start the response")


def worker_of(server: Server, client: socket.socket) -> int:
    """The pid of the server process that holds the other end of ``client``'s connection (one
    that has answered a request on it already, so it was accepted)."""
    client_port = client.getsockname()[1]
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            local, remote = int(parts[1].rsplit(":", 1)[1], 16), int(parts[2].rsplit(":", 1)[1], 16)
            if (local, remote) == (server.port, client_port):
                inode = parts[9]
    for _ in range(200):
        for pid in server.pids():
            try:
                if any(
                    os.readlink(fd) == f"socket:[{inode}]"
                    for fd in Path(f"/proc/{pid}/fd").iterdir()
                ):
                    return pid
            except OSError:
                continue
        time.sleep(0.05)
    raise AssertionError("no server process holds this connection")


# --- A client ---------------------------------------------------------------------------------


def form_token(age: float = 10.0) -> str:
    """A complaint form token as the served process signs it, fetched ``age`` seconds ago."""
    payload = {"n": uuid.uuid4().hex[:16], "t": time.time() - age}
    return signing.dumps(payload, key=SECRET_KEY, salt=TOKEN_SALT)


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A form with files as a browser posts it: (body, content type)."""
    data = dict(fields)
    for name, filename, content in files:
        data.setdefault(name, []).append(SimpleUploadedFile(filename, content))
    return encode_multipart(BOUNDARY, data), MULTIPART_CONTENT


class Browser:
    """Cookies and CSRF tokens, as a browser keeps them."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, headers: dict | None = None) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 - http to the served test process
            self.base + path,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers=headers or {},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self, path: str) -> str:
        page = self.get(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def log_in(self, username: str, password: str) -> None:
        """Password only: the user is demo-exempt from two-factor in the served demo mode."""
        token = self.csrf("/accounts/login/")
        status, page = self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        assert status == 200 and 'name="password"' not in page, page[:2000]

    def raw_request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        """The bytes of a request with this browser's cookies, for a socket."""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{urllib.parse.urlsplit(self.base).port}",
            f"Cookie: {self.cookie_header()}",
            "Connection: close",
            f"Content-Length: {len(body)}",
            *(f"{k}: {v}" for k, v in (headers or {}).items()),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_response(client: socket.socket) -> tuple[int, bytes]:
    chunks = []
    while chunk := client.recv(1 << 16):
        chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), body
