"""Security headers: the Content-Security-Policy (strict on the public site and the API, Wagtail's
needs in the admin), Permissions-Policy, host-only HSTS unless the operator opts in, and gzip
only where BREACH cannot reveal a secret."""

import gzip
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from kunnskapsbase.security.middleware import AnonymousGZipMiddleware
from tests.test_settings import MANAGE, production_env, run, settings_value

CSP = "Content-Security-Policy"
PUBLIC_PATHS = ["/", "/praksiseksempler/", "/sok/?q=bolig", "/lover/sosialtjenesteloven/27/"]
SECURITY_ENV = ["CSP_REPORT_ONLY", "CSP_REPORT_URI", "CSP_FRAME_SOURCES", "CSP_IMG_SOURCES", "AXES_COOLOFF_MINUTES",
                "AXES_FAILURE_LIMIT", "AXES_PROXY_COUNT", "ADMIN_TWO_FACTOR"]


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.fixture
def superuser_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("sikker", "s@example.no", "x-passord-123"))
    return client


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_carry_a_strict_policy_without_inline_code(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response[CSP])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in response[CSP]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_have_no_inline_scripts_styles_or_handlers(client, seed_pages_paths, path):
    for address in [path, *seed_pages_paths]:
        soup = BeautifulSoup(client.get(address).content, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") in ("application/json", "application/ld+json"), address
        for element in soup.find_all(True):
            assert "style" not in element.attrs, (address, str(element)[:120])
            assert not [name for name in element.attrs if name.startswith("on")], (address, str(element)[:120])
        assert not soup.find_all("style"), address


@pytest.fixture
def seed_pages_paths(tromso, oksnes, nes_report, close_follow_up_article):
    return [page.url for page in (tromso, oksnes, nes_report, close_follow_up_article)]


def test_the_api_carries_the_policy_and_permissions_policy(client, db):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    assert directives(response[CSP])["script-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_gets_what_wagtail_needs_and_nothing_from_elsewhere(superuser_client, tromso):
    response = superuser_client.get(f"/admin/pages/{tromso.pk}/edit/")
    assert response.status_code == 200
    policy = directives(response[CSP])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # No gravatar or update check: nothing the policy would have to allow from other hosts.
    assert "gravatar.com" not in response.content.decode()


def test_the_server_error_page_styles_are_allowed_by_their_hash(client, db, settings):
    import base64
    import hashlib

    text = (settings.BASE_DIR / "templates" / "500.html").read_text(encoding="utf-8")
    (style,) = re.findall(r"<style>(.*?)</style>", text, flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives(client.get("/")[CSP])["style-src"]


def test_permissions_policy_switches_off_unused_browser_features(client, db):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


# --- Compression and BREACH ------------------------------------------------------------------


def test_anonymous_pages_and_api_responses_are_compressed(client, db):
    for path in ("/", "/api/v2/pages/"):
        response = client.get(path, headers={"accept-encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip", path
        assert gzip.decompress(response.content)


def test_pages_for_logged_in_users_and_the_admin_are_not_compressed(superuser_client, db):
    for path in ("/", "/admin/"):
        response = superuser_client.get(path, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), path


def test_a_response_carrying_a_csrf_token_is_not_compressed(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    def view(request):
        return HttpResponse(f"<form><input value='{get_token(request)}'>{request.GET.get('q')}</form>" * 50)

    request = rf.get("/skjema/?q=x", headers={"accept-encoding": "gzip"})
    request.user = AnonymousUser()
    assert not AnonymousGZipMiddleware(view)(request).has_header("Content-Encoding")
    plain = rf.get("/skjema/?q=x", headers={"accept-encoding": "gzip"})
    plain.user = AnonymousUser()
    assert AnonymousGZipMiddleware(lambda r: HttpResponse("<p>hei</p>" * 100))(plain)["Content-Encoding"] == "gzip"


# --- Settings per environment ----------------------------------------------------------------


def security_env(tmp_path, **overrides):
    return production_env(tmp_path, **{**dict.fromkeys(SECURITY_ENV), **overrides})


def test_production_hsts_covers_this_host_only_unless_the_operator_opts_in(tmp_path):
    expression = "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD"
    result = settings_value(security_env(tmp_path), expression)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "False", "False"]
    env = security_env(tmp_path, SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true")
    assert settings_value(env, expression).stdout.split() == ["31536000", "True", "True"]
    check = run([str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"], env)
    assert check.returncode == 0, check.stdout + check.stderr


def test_production_enforces_the_policy_and_development_only_reports(tmp_path):
    expression = "bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY)"
    assert settings_value(security_env(tmp_path), expression).stdout.split() == ["True", "False"]
    development = security_env(tmp_path, DJANGO_SETTINGS_MODULE="kunnskapsbase.settings.base", DEBUG="true")
    assert settings_value(development, expression).stdout.split() == ["False", "True"]


def test_lockout_settings_come_from_the_environment(tmp_path):
    env = security_env(tmp_path, AXES_COOLOFF_MINUTES="45", AXES_FAILURE_LIMIT="8", AXES_PROXY_COUNT="1")
    result = settings_value(env, "s.AXES_COOLOFF_TIME.total_seconds(), s.AXES_FAILURE_LIMIT, s.AXES_IPWARE_PROXY_COUNT")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2700.0", "8", "1"]


def test_two_factor_login_is_off_unless_the_environment_switches_it_on(tmp_path):
    expression = "getattr(s, 'WAGTAILADMIN_USER_LOGIN_FORM', 'standard')"
    assert settings_value(security_env(tmp_path), expression).stdout.strip() == "standard"
    on = settings_value(security_env(tmp_path, ADMIN_TWO_FACTOR="true"), expression)
    assert on.stdout.strip() == "kunnskapsbase.security.twofactor.TwoFactorLoginForm", on.stderr
