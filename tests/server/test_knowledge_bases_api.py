"""Several knowledge bases over HTTP, and who may do what: every endpoint refuses a
missing token (401) and a role below its own (403); a reader never sees a knowledge base
it was not given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from answer import ExtractiveGenerator
from server.access import Role
from server.app import create_app
from server.services import Services
from server.settings import Settings
from tests.conftest import CORPUS_DIR, POLICY_DIR
from tests.fakes import HashingEmbedder
from tests.server.conftest import wait_for_job

ADMIN_TOKEN = "admin-token-0123456789"


@pytest.fixture
def app_parts(tmp_path: Path) -> Iterator[tuple[httpx.Client, Services, dict[str, str]]]:
    """An app over two real knowledge bases (hashing embedder, real Chroma), the admin
    token from the settings and one token per role made with the token store."""
    from fastapi.testclient import TestClient

    embedder = HashingEmbedder()
    (tmp_path / "roots").mkdir()
    settings = Settings(
        data_dir=tmp_path / "data", api_token=ADMIN_TOKEN, ingest_roots=[tmp_path / "roots"]
    )
    services = Services(settings, embedder=embedder, generator=ExtractiveGenerator(embedder))
    services.registry.create("news", title="工作材料")
    services.registry.create("policy", title="政策法规")
    services.registry.get("news").ingest([CORPUS_DIR])
    services.registry.get("policy").ingest([POLICY_DIR])
    tokens = {"admin": ADMIN_TOKEN}
    tokens["reader"], _ = services.tokens.add(role=Role.READER, knowledge_bases=["policy"])
    tokens["editor"], _ = services.tokens.add(role=Role.EDITOR, knowledge_bases=["news"])
    app = create_app(settings=settings, services=services)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, services, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# (method, path, minimum role, request kwargs)
ENDPOINTS: list[tuple[str, str, Role, dict]] = [
    ("GET", "/knowledge-bases", Role.READER, {}),
    ("POST", "/search", Role.READER, {"json": {"query": "居民委员会"}}),
    ("POST", "/chat", Role.READER, {"json": {"message": "居民委员会每届任期几年？"}}),
    ("GET", "/drafts/types", Role.READER, {}),
    ("GET", "/documents", Role.READER, {}),
    ("POST", "/documents", Role.EDITOR, {"files": {"files": ("a.txt", "社区".encode())}}),
    ("POST", "/ingest", Role.EDITOR, {"json": {"paths": ["x"]}}),
    ("GET", "/jobs", Role.EDITOR, {}),
    ("POST", "/knowledge-bases", Role.ADMIN, {"json": {"name": "x1", "title": "x"}}),
    ("PATCH", "/knowledge-bases/news", Role.ADMIN, {"json": {"title": "x"}}),
    ("DELETE", "/knowledge-bases/x9", Role.ADMIN, {}),
    ("GET", "/tokens", Role.ADMIN, {}),
    ("POST", "/tokens", Role.ADMIN, {"json": {"role": "reader", "knowledge_bases": ["news"]}}),
    ("DELETE", "/tokens/nothing", Role.ADMIN, {}),
]


def test_every_endpoint_refuses_no_token_and_lower_roles(app_parts) -> None:
    client, _, tokens = app_parts
    for method, path, needed, kwargs in ENDPOINTS:
        resp = client.request(method, path, **kwargs)
        assert resp.status_code == 401, (method, path, resp.text)
        assert resp.json()["error"]["code"] == "unauthorized"
        for role in Role:
            resp = client.request(method, path, headers=auth(tokens[role.value]), **kwargs)
            if role.rank < needed.rank:
                assert resp.status_code == 403, (method, path, role, resp.text)
                assert resp.json()["error"]["code"] == "role_required"
            else:
                assert resp.status_code not in (401, 403), (method, path, role, resp.text)
    assert client.get("/health").status_code == 200  # health stays public


def test_a_reader_sees_only_its_knowledge_bases(app_parts) -> None:
    client, _, tokens = app_parts
    reader = auth(tokens["reader"])
    listed = client.get("/knowledge-bases", headers=reader).json()
    assert [(kb["name"], kb["title"]) for kb in listed] == [("policy", "政策法规")]
    assert listed[0]["documents"] == 6 and listed[0]["chunks"] > 6

    hits = client.post("/search", json={"query": "湖北路街道五星支部", "k": 10}, headers=reader)
    assert hits.status_code == 200
    assert {h["knowledge_base"] for h in hits.json()["hits"]} == {"policy"}
    # Naming a knowledge base it was not given answers as if there were none.
    for path, kwargs in (
        ("/search", {"json": {"query": "五星支部"}}),
        ("/chat", {"json": {"message": "五星支部创建有哪些做法？"}}),
    ):
        resp = client.post(path, params={"kb": "news"}, headers=reader, **kwargs)
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "unknown_knowledge_base"
        missing = client.post(path, params={"kb": "nope"}, headers=reader, **kwargs)
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == resp.json()["error"]["code"]
    docs = client.get("/documents", headers=reader).json()
    assert docs["total"] == 6 and {d["knowledge_base"] for d in docs["items"]} == {"policy"}
    news_doc = client.get("/documents", headers=auth(ADMIN_TOKEN), params={"kb": "news"})
    doc_id = news_doc.json()["items"][0]["doc_id"]
    assert client.get(f"/documents/{doc_id}", headers=reader).status_code == 404
    assert client.get(f"/documents/{doc_id}", headers=auth(ADMIN_TOKEN)).status_code == 200


def test_search_and_chat_span_the_chosen_knowledge_bases(app_parts) -> None:
    client, _, tokens = app_parts
    admin = auth(ADMIN_TOKEN)
    both = client.post(
        "/search", json={"query": "五星支部创建 居民委员会任期", "k": 20}, headers=admin
    )
    assert {h["knowledge_base"] for h in both.json()["hits"]} == {"news", "policy"}
    only = client.post(
        "/search", json={"query": "社区居民委员会", "k": 20}, params={"kb": "news"}, headers=admin
    )
    assert {h["knowledge_base"] for h in only.json()["hits"]} == {"news"}
    answer = client.post(
        "/chat",
        json={"message": "居民委员会每届任期几年？"},
        params={"kb": "policy"},
        headers=admin,
    )
    assert answer.status_code == 200


def test_an_editor_writes_only_where_it_was_given(app_parts, tmp_path: Path) -> None:
    client, services, tokens = app_parts
    editor = auth(tokens["editor"])
    files = {"files": ("新材料.txt", "七二五社区开展消防演练。\n共有120名居民参加。".encode())}
    refused = client.post("/documents", params={"kb": "policy"}, files=files, headers=editor)
    assert refused.status_code == 404
    accepted = client.post("/documents", params={"kb": "news"}, files=files, headers=editor)
    assert accepted.status_code == 202
    job = wait_for_job(client, accepted.json()["job_id"], headers=editor)
    assert job["status"] == "done" and job["added"] == 1
    assert len(services.registry.get("news").documents()) == 6
    assert len(services.registry.get("policy").documents()) == 6
    # Writing to two at once is ambiguous.
    two = client.post("/documents", params={"kb": ["news", "policy"]}, files=files, headers=editor)
    assert two.status_code == 400


def test_admin_manages_knowledge_bases_and_tokens(app_parts) -> None:
    client, services, _ = app_parts
    admin = auth(ADMIN_TOKEN)
    made = client.post(
        "/knowledge-bases", json={"name": "sq725", "title": "七二五社区"}, headers=admin
    )
    assert made.status_code == 201 and made.json()["documents"] == 0
    assert (
        client.post(
            "/knowledge-bases", json={"name": "sq725", "title": "again"}, headers=admin
        ).status_code
        == 409
    )
    for bad in ("../x", "a/b", "x" * 200, "中文"):
        resp = client.post("/knowledge-bases", json={"name": bad, "title": "x"}, headers=admin)
        assert resp.status_code == 422, bad
    renamed = client.patch(
        "/knowledge-bases/sq725", json={"title": "七二五社区材料"}, headers=admin
    )
    assert renamed.json()["title"] == "七二五社区材料"

    made_token = client.post(
        "/tokens",
        json={"role": "reader", "knowledge_bases": ["sq725"], "label": "网格员"},
        headers=admin,
    ).json()
    new_reader = auth(made_token["token"])
    assert [kb["name"] for kb in client.get("/knowledge-bases", headers=new_reader).json()] == [
        "sq725"
    ]
    listed = client.get("/tokens", headers=admin).json()
    assert made_token["token_id"] in {t["token_id"] for t in listed}
    assert all("token" not in t for t in listed)
    assert client.delete(f"/tokens/{made_token['token_id']}", headers=admin).status_code == 204
    assert client.get("/knowledge-bases", headers=new_reader).status_code == 401

    assert client.delete("/knowledge-bases/sq725", headers=admin).json()["deleted"] is True
    assert "sq725" not in [i.name for i in services.registry.list()]
    assert client.delete("/knowledge-bases/sq725", headers=admin).status_code == 404


def test_a_knowledge_base_a_job_writes_to_cannot_be_deleted(app_parts) -> None:
    client, services, _ = app_parts
    admin = auth(ADMIN_TOKEN)
    with services.registry.writing("news"):
        resp = client.delete("/knowledge-bases/news", headers=admin)
        assert resp.status_code == 409
        assert resp.json()["error"]["code"] == "knowledge_base_busy"
    assert services.registry.get("news").chunk_count() > 0
    assert client.delete("/knowledge-bases/news", headers=admin).status_code == 200


def _policy_doc_id(client: httpx.Client, headers: dict[str, str], title: str) -> str:
    docs = client.get("/documents", params={"kb": "policy"}, headers=headers).json()["items"]
    return next(d["doc_id"] for d in docs if d["title"] == title)


def test_a_cited_article_opens_whole_and_within_the_reader_scope(app_parts) -> None:
    client, services, tokens = app_parts
    reader = auth(tokens["reader"])
    doc_id = _policy_doc_id(client, reader, "中华人民共和国城市居民委员会组织法")
    by_label = client.get(f"/documents/{doc_id}/articles/第八条", headers=reader)
    assert by_label.status_code == 200, by_label.text
    article = by_label.json()
    assert article["article"] == "第八条" and article["knowledge_base"] == "policy"
    assert article["title"] == "中华人民共和国城市居民委员会组织法"
    # Both 款 of the article, and nothing of the next one.
    assert "每届任期五年" in article["text"] and "年满十八周岁" in article["text"]
    assert "居民会议由十八周岁以上的居民组成" not in article["text"]
    assert [c["article"] for c in article["chunks"]] == ["第八条"]
    assert client.get(f"/documents/{doc_id}/articles/8", headers=reader).json() == article

    assert client.get(f"/documents/{doc_id}/articles/第九十九条", headers=reader).status_code == 404
    # Scoped like the other reads: an editor given only `news` does not see the statute,
    # nor does a request naming `news`.
    editor = auth(tokens["editor"])
    assert client.get(f"/documents/{doc_id}/articles/第八条", headers=editor).status_code == 404
    admin = auth(ADMIN_TOKEN)
    named = client.get(f"/documents/{doc_id}/articles/第八条", params={"kb": "news"}, headers=admin)
    assert named.status_code == 404
    assert client.get(f"/documents/{doc_id}/articles/第八条").status_code == 401


def test_a_long_article_comes_back_from_all_its_pieces(app_parts) -> None:
    client, services, tokens = app_parts
    paragraph = (
        "街道办事处应当组织居民开展邻里互助活动，登记独居老人的居住情况，定期上门探访并记录。"
    )
    long_article = "\n\n".join(f"{paragraph}第{n}款。" for n in range(1, 21))
    statute = (
        "# 示范社区服务条例\n\n第一条 为了规范社区服务，制定本条例。\n\n"
        f"第二条 {long_article}\n\n第三条 本条例自公布之日起施行。\n"
    )
    report = services.registry.get("policy").ingest_bytes(
        [("示范社区服务条例.md", statute.encode())]
    )
    assert report.added == 1
    admin = auth(ADMIN_TOKEN)
    doc_id = _policy_doc_id(client, admin, "示范社区服务条例")
    article = client.get(f"/documents/{doc_id}/articles/第二条", headers=admin).json()
    assert len(article["chunks"]) > 1  # split between 款, each piece tagged with the article
    assert {c["article"] for c in article["chunks"]} == {"第二条"}
    assert [c["index"] for c in article["chunks"]] == sorted(c["index"] for c in article["chunks"])
    for n in (1, 20):
        assert f"第{n}款。" in article["text"]
    assert "本条例自公布之日起施行" not in article["text"]
