"""Every endpoint over HTTP against the real parts: the real model, real Chroma,
the sample corpus, real search, real answers and real .docx files."""

from __future__ import annotations

import io
import json
import shutil
from urllib.parse import unquote

import docx
import pytest

from tests.conftest import CORPUS_DIR
from tests.server.conftest import wait_for_job

FOUR_GOVERNANCE_Q = "开元路街道推进的“四治”并进具体包括哪几个方面？"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _corpus_doc_id(client, filename: str) -> str:
    items = client.get("/documents?limit=100").json()["items"]
    return next(d["doc_id"] for d in items if d["source_key"].endswith(filename))


def _sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        kind, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:  # a block of comment lines only (": ping") is a keep-alive, not an event
            events.append((kind, json.loads("\n".join(data))))
    return events


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


# --- health, page, docs ----------------------------------------------------------


def test_health_reports_the_index(real_client, corpus_kb, real_embedder) -> None:
    resp = real_client.get("/health")
    assert resp.status_code == 200
    health = resp.json()
    assert health["status"] == "ok"
    assert health["documents"] == len(list(CORPUS_DIR.glob("*.txt")))
    assert health["chunks"] == corpus_kb.chunk_count() > 0
    assert health["model"] == real_embedder.name
    assert health["store_mode"] == "embedded"
    assert health["llm_configured"] is False
    assert health["auth_required"] is False


def test_page_is_served_in_chinese_with_local_assets(real_client) -> None:
    page = real_client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "知识库与公文起草助手" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    for asset in ("/static/app.js", "/static/app.css"):
        assert asset in page.text
        assert real_client.get(asset).status_code == 200


def test_api_docs_work_offline(real_client) -> None:
    html = real_client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in html
    assert "cdn." not in html
    js = real_client.get("/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert real_client.get("/docs-assets/swagger-ui.css").status_code == 200
    spec = real_client.get("/openapi.json").json()
    for path in ("/documents", "/documents/{doc_id}", "/ingest", "/jobs/{job_id}", "/search"):
        assert path in spec["paths"]
    for path in ("/chat", "/drafts", "/drafts/with-template", "/health"):
        assert path in spec["paths"]


# --- documents -------------------------------------------------------------------


def test_documents_are_listed_a_page_at_a_time(real_client) -> None:
    everything = real_client.get("/documents").json()
    assert everything["total"] == 5
    seen = []
    for offset in range(0, 5, 2):
        page = real_client.get(f"/documents?offset={offset}&limit=2").json()
        assert page["total"] == 5 and page["offset"] == offset and page["limit"] == 2
        assert len(page["items"]) == min(2, 5 - offset)
        seen.extend(d["doc_id"] for d in page["items"])
    assert sorted(seen) == sorted(d["doc_id"] for d in everything["items"])
    dates = [d["date"] for d in everything["items"] if d["date"]]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_documents_are_filtered_by_metadata(real_client) -> None:
    items = real_client.get("/documents").json()["items"]
    doc_type = items[0]["doc_type"]
    by_type = real_client.get("/documents", params={"doc_type": doc_type}).json()["items"]
    assert by_type and all(d["doc_type"] == doc_type for d in by_type)

    with_region = next(d for d in items if d["regions"])
    region = with_region["regions"][0]
    by_region = real_client.get("/documents", params={"region": region}).json()
    assert with_region["doc_id"] in [d["doc_id"] for d in by_region["items"]]

    future = real_client.get("/documents", params={"date_from": "2100-01-01"}).json()
    assert future["total"] == 0 and future["items"] == []


def test_document_shows_metadata_and_chunks(real_client) -> None:
    doc_id = _corpus_doc_id(real_client, "000_4423692526bec3df.txt")
    doc = real_client.get(f"/documents/{doc_id}").json()
    assert doc["title"].startswith("洛阳市洛龙区开元路街道党工委")
    assert len(doc["chunks"]) == doc["chunk_count"] > 1
    assert [c["index"] for c in doc["chunks"]] == list(range(doc["chunk_count"]))
    assert any("四治" in c["text"] for c in doc["chunks"])
    assert all(c["end"] > c["start"] for c in doc["chunks"])


# --- search ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_search_finds_the_passage(real_client, mode) -> None:
    resp = real_client.post("/search", json={"query": FOUR_GOVERNANCE_Q, "k": 5, "mode": mode})
    assert resp.status_code == 200
    body = resp.json()
    assert body["mode"] == mode and 0 < len(body["hits"]) <= 5
    top = body["hits"][0]
    assert top["source_key"].endswith("000_4423692526bec3df.txt")
    if mode != "dense":
        # the model alone finds the document (above) but, in bfloat16, not this passage of
        # it among the first five: finding the passage is what the keywords add
        assert any("自治、法治、德治、智治" in h["text"] for h in body["hits"][:3])
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_search_respects_filters(real_client) -> None:
    other = _corpus_doc_id(real_client, "001_60637e34c9e23eb9.txt")
    body = real_client.post(
        "/search", json={"query": FOUR_GOVERNANCE_Q, "filters": {"doc_ids": [other]}}
    ).json()
    assert body["hits"] and {h["doc_id"] for h in body["hits"]} == {other}
    none = real_client.post(
        "/search", json={"query": FOUR_GOVERNANCE_Q, "filters": {"date_from": "2100-01-01"}}
    ).json()
    assert none["hits"] == []


# --- chat ------------------------------------------------------------------------


def test_chat_answers_with_citations(real_client) -> None:
    resp = real_client.post("/chat", json={"message": FOUR_GOVERNANCE_Q})
    assert resp.status_code == 200
    answer = resp.json()
    assert answer["refused"] is False
    assert "自治" in answer["answer"] and "智治" in answer["answer"]
    numbers = {c["number"] for c in answer["citations"]}
    assert numbers
    cited = {n for s in answer["sentences"] for n in s["citations"]}
    assert cited and cited <= numbers
    assert any(c["source_key"].endswith("000_4423692526bec3df.txt") for c in answer["citations"])
    assert all(c["excerpt"] for c in answer["citations"])


def test_chat_refuses_when_the_corpus_has_nothing(real_client) -> None:
    answer = real_client.post(
        "/chat", json={"message": "如何配置 Kubernetes 集群的负载均衡？"}
    ).json()
    assert answer["refused"] is True
    assert answer["citations"] == []


@pytest.mark.parametrize(
    "history",
    [
        [["开元路街道在推进什么？", "“四治”并进。"]],
        [
            {"role": "user", "content": "开元路街道在推进什么？"},
            {"role": "assistant", "content": "“四治”并进。"},
        ],
    ],
)
def test_chat_accepts_both_history_forms(real_client, history) -> None:
    resp = real_client.post("/chat", json={"message": "具体包括哪几个方面？", "history": history})
    assert resp.status_code == 200
    assert resp.json()["question"]


def test_chat_streams_server_sent_events(real_client) -> None:
    with real_client.stream(
        "POST", "/chat", json={"message": FOUR_GOVERNANCE_Q, "stream": True}
    ) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        text = "".join(resp.iter_text())
    events = _sse_events(text)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "done"
    assert "error" not in kinds
    assert kinds.count("citations") == 1
    first_citations = kinds.index("citations")
    deltas = [data for kind, data in events if kind == "delta"]
    assert deltas and kinds.index("delta") < first_citations
    streamed = "".join(d["text"] for d in deltas)
    assert "自治" in streamed
    citations = events[first_citations][1]["citations"]
    assert citations and all(c["excerpt"] and c["doc_id"] for c in citations)


# --- drafts ----------------------------------------------------------------------

DRAFT = {
    "doc_type": "work-summary",
    "unit": "洛阳市涧西区",
    "period": "2018年",
    "topic": "基层党建",
}


def test_draft_types_are_listed(real_client) -> None:
    items = real_client.get("/drafts/types").json()["items"]
    names = {t["key"]: t["name"] for t in items}
    assert names["quarterly-summary"] == "季度工作总结"
    plan = next(t for t in items if t["key"] == "activity-plan")
    assert "活动时间" in plan["fields"]


def test_draft_as_json_has_sections_citations_and_checks(real_client) -> None:
    resp = real_client.post("/drafts", params={"format": "json"}, json=DRAFT)
    assert resp.status_code == 200, resp.text
    draft = resp.json()
    assert "涧西区" in draft["title"] and draft["filename"] == draft["title"] + ".docx"
    assert draft["sections"] and draft["citations"]
    cited = {n for s in draft["sections"] for p in s["paragraphs"] for n in p["citations"]}
    assert cited <= {c["number"] for c in draft["citations"]}
    assert 0.0 <= draft["supported_share"] <= 1.0
    assert isinstance(draft["issues"], list)


def test_draft_downloads_as_docx_with_a_chinese_file_name(real_client) -> None:
    title = real_client.post("/drafts", params={"format": "json"}, json=DRAFT).json()["title"]
    resp = real_client.post("/drafts", json=DRAFT)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == DOCX_TYPE
    disposition = resp.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == f"{title}.docx"
    text = _docx_text(resp.content)
    assert title in text
    assert "一、" in text


def test_draft_with_the_offices_template(real_client, tmp_path) -> None:
    template = docx.Document()
    template.add_paragraph("某某街道办事处文件")  # the letterhead must survive
    template.add_paragraph("{{标题}}")
    template.add_paragraph("{{正文}}")
    template.add_paragraph("{{落款}}  {{日期}}")
    buf = io.BytesIO()
    template.save(buf)
    resp = real_client.post(
        "/drafts/with-template",
        data={"request": json.dumps(DRAFT, ensure_ascii=False)},
        files={"template": ("本单位模板.docx", buf.getvalue(), DOCX_TYPE)},
    )
    assert resp.status_code == 200, resp.text
    text = _docx_text(resp.content)
    assert text.startswith("某某街道办事处文件")
    assert "{{" not in text
    assert "涧西区" in text and "一、" in text


def test_draft_with_remove_unsupported_has_no_issues(real_client) -> None:
    body = {**DRAFT, "remove_unsupported": True}
    draft = real_client.post("/drafts", params={"format": "json"}, json=body).json()
    assert draft["issues"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**DRAFT, "doc_type": "诗歌"}, 400),
        ({**DRAFT, "citation_style": "哈佛"}, 400),
        ({**DRAFT, "unit": "  "}, 422),
        ({"unit": "某社区"}, 422),
    ],
)
def test_bad_draft_requests(real_client, body, status) -> None:
    resp = real_client.post("/drafts", json=body)
    assert resp.status_code == status, resp.text
    assert " / " in resp.json()["error"]["message"]


# --- upload, ingest, delete (own index) ---------------------------------------------


def test_upload_search_and_delete(writable_client) -> None:
    text = "桃源社区“银发守护”志愿服务\n2023年，桃源社区组织“银发守护”志愿服务活动128场，服务老年人3200人次。"
    files = [
        ("files", ("桃源社区 简报.txt", text.encode("gbk"), "text/plain")),
        ("files", ("空白.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")),
    ]
    resp = writable_client.post("/documents", files=files)
    assert resp.status_code == 202
    job = wait_for_job(writable_client, resp.json()["job_id"], timeout=120)
    assert job["status"] == "done"
    assert (job["files_total"], job["added"], job["failed"]) == (2, 1, 1)
    assert job["chunks"] >= 1
    assert job["failures"][0]["source"] == "空白.pdf" and job["failures"][0]["reason"]

    items = writable_client.get("/documents").json()["items"]
    assert [d["source_key"] for d in items] == ["桃源社区 简报.txt"]
    doc_id = items[0]["doc_id"]
    hits = writable_client.post("/search", json={"query": "银发守护志愿服务活动多少场"}).json()
    assert hits["hits"][0]["doc_id"] == doc_id
    assert "128场" in hits["hits"][0]["text"]

    assert writable_client.delete(f"/documents/{doc_id}").json() == {
        "doc_id": doc_id,
        "deleted": True,
    }
    assert writable_client.get(f"/documents/{doc_id}").status_code == 404
    assert writable_client.delete(f"/documents/{doc_id}").status_code == 404
    assert writable_client.post("/search", json={"query": "银发守护"}).json()["hits"] == []
    assert writable_client.get("/health").json()["chunks"] == 0


def test_server_side_folder_ingest_is_incremental(writable_client) -> None:
    roots = writable_client.app.state.settings.ingest_roots[0]
    folder = roots / "街道材料"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "开元路街道网格化治理\n街道划分网格42个，配备专职网格员56名。", encoding="utf-8"
    )
    (folder / "b.md").write_text(
        "# 武汉路社区党建\n\n社区党委推行“一线工作法”，每周开展入户走访。", encoding="utf-8"
    )

    first = writable_client.post("/ingest", json={"paths": ["街道材料"]})
    assert first.status_code == 202
    job = wait_for_job(writable_client, first.json()["job_id"], timeout=180)
    assert (job["status"], job["kind"], job["files_done"], job["added"]) == ("done", "folder", 2, 2)
    assert job["chunks"] >= 2

    again = wait_for_job(
        writable_client,
        writable_client.post("/ingest", json={"paths": [str(folder)]}).json()["job_id"],
        timeout=60,
    )
    assert (again["status"], again["unchanged"], again["added"], again["chunks"]) == (
        "done",
        2,
        0,
        0,
    )
    assert again["duplicates"] == 0
    assert writable_client.get("/documents").json()["total"] == 2

    shutil.copytree(folder, roots / "街道材料副本")
    copied = wait_for_job(
        writable_client,
        writable_client.post("/ingest", json={"paths": ["街道材料副本"]}).json()["job_id"],
        timeout=60,
    )
    assert (copied["status"], copied["duplicates"], copied["added"], copied["chunks"]) == (
        "done",
        2,
        0,
        0,
    )
    assert copied["warnings"] == [] and copied["failures"] == []
    assert writable_client.get("/documents").json()["total"] == 2
