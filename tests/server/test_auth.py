"""The API token: off by default; when set, every endpoint but /health and the page needs it."""

from __future__ import annotations

import pytest

from server.settings import Settings
from tests.server.conftest import TOKEN

# (method, path, json body) for one call of every protected endpoint
PROTECTED = [
    ("GET", "/documents", None),
    ("GET", "/documents/abc", None),
    ("DELETE", "/documents/abc", None),
    ("POST", "/documents", None),
    ("POST", "/ingest", {"paths": ["x"]}),
    ("GET", "/jobs", None),
    ("GET", "/jobs/abc", None),
    ("POST", "/search", {"query": "党建"}),
    ("POST", "/chat", {"message": "党建"}),
    ("POST", "/drafts", {"doc_type": "summary", "unit": "某社区"}),
    ("POST", "/drafts/with-template", None),
    ("GET", "/drafts/types", None),
]


@pytest.fixture
def secured(make_fake_client):
    return make_fake_client(api_token=TOKEN)


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED)
def test_protected_endpoints_refuse_without_token(secured, method, path, body) -> None:
    resp = secured.request(method, path, json=body)
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "unauthorized"
    assert resp.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        f"Basic {TOKEN}",
        TOKEN,
        "Bearer 令牌令牌令牌令牌".encode(),
        "Bearer ",
    ],
)
def test_wrong_tokens_are_refused(secured, header) -> None:
    resp = secured.get("/documents", headers={"Authorization": header})
    assert resp.status_code == 401


def test_right_token_is_accepted(secured) -> None:
    resp = secured.get("/documents", headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == 200
    assert resp.json()["total"] == 0


def test_health_page_and_docs_need_no_token(secured) -> None:
    health = secured.get("/health")
    assert health.status_code == 200
    assert health.json()["auth_required"] is True
    assert secured.get("/").status_code == 200
    assert secured.get("/static/app.js").status_code == 200
    assert secured.get("/openapi.json").status_code == 200


def test_without_token_setting_everything_is_open(fake_client) -> None:
    assert fake_client.get("/documents").status_code == 200
    assert fake_client.get("/health").json()["auth_required"] is False


def test_openapi_declares_bearer_security(secured) -> None:
    spec = secured.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert "security" not in spec["paths"]["/health"]["get"]
    assert spec["paths"]["/search"]["post"]["security"]


def test_trivial_token_is_refused_by_settings() -> None:
    with pytest.raises(ValueError):
        Settings(api_token="short")


def test_cors_is_closed_by_default_and_open_only_to_configured_origins(make_fake_client) -> None:
    closed = make_fake_client()
    pre = {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    resp = closed.options("/search", headers=pre)
    assert "access-control-allow-origin" not in resp.headers
    resp = closed.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in resp.headers

    opened = make_fake_client(cors_origins=["http://intranet.example"])
    ok = opened.options(
        "/search",
        headers={"Origin": "http://intranet.example", "Access-Control-Request-Method": "POST"},
    )
    assert ok.headers["access-control-allow-origin"] == "http://intranet.example"
    other = opened.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
