"""Strict headers and a CSP on every page; nothing is loaded from anywhere but this server."""

import os
import re
import subprocess
import sys

from django.urls import reverse

from kuzot.middleware import CONTENT_SECURITY_POLICY


def test_every_response_carries_strict_headers(client):
    response = client.get(reverse("login"))
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_logged_in_pages_are_never_cached(signed_in):
    assert signed_in("a-lawyer").get(reverse("people"))["Cache-Control"] == "no-store"


def test_pages_load_nothing_external_and_htmx_is_served_here(signed_in, client):
    pages = [client.get(reverse("login")), signed_in("a-coordinator").get(reverse("team"))]
    for response in pages:
        html = response.content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), "external resource"
        assert "<style" not in html and " style=" not in html, "inline style breaks the CSP"
        assert re.search(r'<script src="/static/kuzot/htmx-[\d.]+\.min\.js" defer>', html)


def deploy_check(tmp_path, **settings: str) -> subprocess.CompletedProcess:
    env = {
        # (the browser tests allow the ORM inside Playwright's event loop; production never)
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "KUZOT_PRODUCTION": "1",
        "KUZOT_SECRET_KEY": "x" * 60 + "production-secret-for-the-check-only",
        "KUZOT_ALLOWED_HOSTS": "kuzot.example.org",
        "KUZOT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kuzot.settings",
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_django_deploy_checks(tmp_path):
    result = deploy_check(tmp_path, KUZOT_AUDIT_KEY="a" * 43)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_audit_key_in_the_data_folder_fails_the_deploy_check(tmp_path):
    """Beside the database it protects, the key protects nothing from whoever holds both."""
    result = deploy_check(tmp_path, KUZOT_AUDIT_KEY="")
    assert result.returncode != 0
    assert "kuzot.W001" in result.stdout + result.stderr


def test_production_refuses_demo_mode(tmp_path):
    (tmp_path / "DEMO").touch()
    env = {
        **os.environ,
        "KUZOT_PRODUCTION": "1",
        "KUZOT_SECRET_KEY": "s" * 60,
        "KUZOT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kuzot.settings",
    }
    code = "from django.conf import settings; print(settings.DEMO)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "False"
