"""Error cases: one JSON shape, bilingual messages, the right status, never a stack trace."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.app import create_app
from server.errors import ApiError
from server.settings import Settings
from server.uploads import check_content_type, sanitize_filename
from tests.server.conftest import make_fake_services


def _assert_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert body["error"]["message"]
    assert " / " in body["error"]["message"], "messages are 中文 / English"
    assert "Traceback" not in resp.text
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


# --- 404 ---------------------------------------------------------------------


def test_unknown_document_is_404(fake_client) -> None:
    _assert_error(fake_client.get("/documents/nope"), 404, "not_found")
    _assert_error(fake_client.delete("/documents/nope"), 404, "not_found")


def test_unknown_route_is_404_in_our_shape(fake_client) -> None:
    _assert_error(fake_client.get("/no/such/route"), 404, "not_found")


def test_wrong_method_is_405_in_our_shape(fake_client) -> None:
    assert fake_client.put("/search").json()["error"]["code"] == "method_not_allowed"


# --- 413 / 415 / 400 on uploads ---------------------------------------------------


def test_file_over_the_size_limit_is_413(make_fake_client) -> None:
    client = make_fake_client(max_upload_mb=1)
    big = ("社区" * 400_000).encode()  # 2.4 MB of valid text
    err = _assert_error(
        client.post("/documents", files={"files": ("大文件.txt", big)}), 413, "file_too_large"
    )
    assert "大文件.txt" in err["message"]
    assert client.get("/jobs").json()["items"] == []  # nothing was queued


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("程序.exe", b"MZ\x90\x00"),  # not a type we read at all
        ("说明.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),  # a Windows program renamed .txt
        ("报告.pdf", "这不是PDF".encode()),  # text pretending to be a PDF
        ("总结.docx", b"%PDF-1.7\n..."),  # a PDF pretending to be .docx
        ("旧文件.doc", b"PK\x03\x04abc"),  # a zip pretending to be a Word 97 file
        ("图片.md", b"\x89PNG\r\n\x1a\n\x00\x00"),  # an image renamed .md
        ("noext", "社区".encode()),
    ],
)
def test_content_not_matching_the_type_is_415(fake_client, name, data) -> None:
    _assert_error(fake_client.post("/documents", files={"files": (name, data)}), 415)


def test_one_bad_file_rejects_the_whole_upload(fake_client) -> None:
    files = [
        ("files", ("好.txt", "社区工作".encode())),
        ("files", ("坏.pdf", b"not a pdf")),
    ]
    _assert_error(fake_client.post("/documents", files=files), 415)
    assert fake_client.get("/jobs").json()["items"] == []


def test_empty_file_is_400(fake_client) -> None:
    _assert_error(fake_client.post("/documents", files={"files": ("空.txt", b"")}), 400)


def test_upload_without_files_is_422(fake_client) -> None:
    _assert_error(fake_client.post("/documents"), 422, "validation_error")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("gbk.txt", "街道社区网格化管理".encode("gbk")),
        ("utf16.txt", "街道社区".encode("utf-16")),
        ("utf16-no-bom.txt", "街道社区网格化管理 2022 年".encode("utf-16-le")),
        ("long.txt", ("社区工作。" * 30000).encode()),  # the sample cuts a character
        ("页面.html", "<html><body>社区</body></html>".encode()),
        ("正文.docx", _docx_bytes()),
        ("扫描.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("老文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ],
)
def test_real_files_of_each_type_pass_the_content_check(name, data) -> None:
    check_content_type(name, data, allowed={".txt", ".html", ".docx", ".pdf", ".doc"})


# --- file names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("C:\\Users\\张三\\Desktop\\2022年 第三季度 总结.docx", "2022年 第三季度 总结.docx"),
        ("/abs/path/社区 工作.txt", "社区 工作.txt"),
        ("bad\x00na\x1bme\r\n.txt", "badname.txt"),
        ("  .hidden.txt", "hidden.txt"),
        ("a\u202etxt.exe", "atxt.exe"),  # a right-to-left override hides the real suffix
        ("工作　总结.md", "工作 总结.md"),
    ],
)
def test_sanitize_filename(raw, clean) -> None:
    assert sanitize_filename(raw) == clean


@pytest.mark.parametrize("raw", ["", "..", "../", "/", "\x00\x01", "   "])
def test_names_that_leave_nothing_are_refused(raw) -> None:
    with pytest.raises(ApiError) as info:
        sanitize_filename(raw)
    assert info.value.status_code == 400


@given(st.text(min_size=1, max_size=300))
def test_sanitized_names_are_always_safe(raw) -> None:
    try:
        name = sanitize_filename(raw)
    except ApiError:
        return
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")
    assert all(ch.isprintable() for ch in name)
    assert 0 < len(name) <= 180
    assert Path(name).name == name


def test_uploaded_name_is_sanitized_before_it_reaches_the_index(fake_client) -> None:
    from tests.server.conftest import wait_for_job

    resp = fake_client.post(
        "/documents", files={"files": ("../../../tmp/社区 简报.txt", "社区简报".encode())}
    )
    job = wait_for_job(fake_client, resp.json()["job_id"])
    assert job["label"] == "社区 简报.txt"
    docs = fake_client.get("/documents").json()["items"]
    assert [d["source_key"] for d in docs] == ["社区 简报.txt"]


# --- 422 validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"query": ""},
        {"query": "   "},
        {"query": "党建", "k": 0},
        {"query": "党建", "k": 1000},
        {"query": "党建", "mode": "magic"},
        {"query": "党建", "filters": {"date_from": "去年"}},
        {"query": "党建", "unknown": 1},
    ],
)
def test_invalid_search_requests_are_422(fake_client, body) -> None:
    err = _assert_error(fake_client.post("/search", json=body), 422, "validation_error")
    assert err["details"]


def test_invalid_json_is_422(fake_client) -> None:
    resp = fake_client.post(
        "/search", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    _assert_error(resp, 422, "validation_error")


def test_invalid_document_query_params_are_422(fake_client) -> None:
    _assert_error(fake_client.get("/documents?limit=0"), 422)
    _assert_error(fake_client.get("/documents?offset=-1"), 422)
    _assert_error(fake_client.get("/documents?date_from=yesterday"), 422)


def test_draft_form_with_bad_json_is_400(fake_client) -> None:
    resp = fake_client.post("/drafts/with-template", data={"request": "{bad"})
    _assert_error(resp, 400, "validation_error")


def test_template_that_is_not_docx_is_415(fake_client) -> None:
    resp = fake_client.post(
        "/drafts/with-template",
        data={"request": '{"doc_type": "summary", "unit": "某社区"}'},
        files={"template": ("模板.docx", b"%PDF-1.4 not a docx")},
    )
    _assert_error(resp, 415)


# --- server-side ingest: 403 / 400 ------------------------------------------------


def test_ingest_is_forbidden_without_configured_roots(fake_client) -> None:
    _assert_error(fake_client.post("/ingest", json={"paths": ["/"]}), 403, "ingest_disabled")


@pytest.mark.parametrize("path", ["/etc", "../", "../../etc/passwd", "sub/../../outside"])
def test_ingest_outside_the_roots_is_403(make_fake_client, tmp_path, path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    client = make_fake_client(ingest_roots=[root])
    _assert_error(client.post("/ingest", json={"paths": [path]}), 403, "path_not_allowed")


def test_ingest_through_a_symlink_out_of_the_root_is_403(make_fake_client, tmp_path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("秘密", encoding="utf-8")
    (root / "link").symlink_to(outside)
    client = make_fake_client(ingest_roots=[root])
    _assert_error(client.post("/ingest", json={"paths": ["link"]}), 403)


def test_ingest_of_missing_path_is_400(make_fake_client, tmp_path) -> None:
    client = make_fake_client(ingest_roots=[tmp_path])
    _assert_error(client.post("/ingest", json={"paths": ["nope"]}), 400, "path_not_found")


def test_ingest_inside_the_root_runs_a_job(make_fake_client, tmp_path) -> None:
    from tests.server.conftest import wait_for_job

    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.txt").write_text("社区党建\n网格", encoding="utf-8")
    (root / "docs" / "b.txt").write_text("街道工作", encoding="utf-8")
    client = make_fake_client(ingest_roots=[root])
    resp = client.post("/ingest", json={"paths": ["docs"]})
    assert resp.status_code == 202
    job = wait_for_job(client, resp.json()["job_id"])
    assert (job["status"], job["kind"], job["files_done"], job["added"]) == ("done", "folder", 2, 2)


# --- 503 / 500 --------------------------------------------------------------------


class _BrokenServices:
    """Services whose store cannot be opened (e.g. the Chroma server is down)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.is_warm = False
        self.store_mode = "http"

    def warm_up(self) -> None:
        raise ConnectionError("Could not connect to a Chroma server")

    @property
    def knowledge_base(self):
        raise ConnectionError("Could not connect to a Chroma server")

    searcher = knowledge_base
    generator = knowledge_base
    embedder = knowledge_base


def test_unavailable_store_gives_503_and_health_says_why(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url="http://127.0.0.1:9")
    app = create_app(settings=settings, services=_BrokenServices(settings))  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert "Chroma" in health.json()["detail"]
        assert health.json()["store_mode"] == "http"
        _assert_error(client.get("/documents"), 503, "service_unavailable")
        _assert_error(client.post("/search", json={"query": "党建"}), 503)


def test_unexpected_error_is_500_without_trace(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)

    class Exploding:
        def search(self, *args, **kwargs):
            raise KeyError("internal detail that must not leak")

    services = make_fake_services(settings, searcher=Exploding())
    app = create_app(settings=settings, services=services)
    with TestClient(app, raise_server_exceptions=False) as client:
        resp = client.post("/search", json={"query": "党建"})
    err = _assert_error(resp, 500, "internal_error")
    assert "internal detail" not in resp.text
    assert err["message"] == "服务器内部错误 / Internal server error"


# --- property-based: whatever the schema allows, never a 500 -----------------------


def _fuzz_app():
    import tempfile

    from answer import ExtractiveGenerator
    from tests.fakes import HashingEmbedder

    # Built at import time because schemathesis parametrizes from the schema; the
    # fake parts keep nothing on disk.
    settings = Settings(data_dir=Path(tempfile.gettempdir()) / "kb-fuzz-unused")
    services = make_fake_services(settings, generator=ExtractiveGenerator(HashingEmbedder()))
    return create_app(settings=settings, services=services)


api_schema = schemathesis.openapi.from_asgi("/openapi.json", _fuzz_app())


@api_schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_cause_a_server_error(case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}


# --- one error hierarchy, mapped by class ---------------------------------------------


def test_every_package_error_is_in_one_branch_and_mapped_by_it() -> None:
    from server.errors import ERROR_TABLE, to_api_error
    from textcore import InvalidRequestError, KbError, ServiceFailureError

    for kind, status, code, prefix in ERROR_TABLE:
        assert issubclass(kind, KbError)
        assert " / " in prefix and code
        if issubclass(kind, InvalidRequestError):
            assert 400 <= status < 500, kind
        elif issubclass(kind, ServiceFailureError):
            assert status >= 500, kind
        # No entry is hidden behind an earlier, broader one.
        assert to_api_error(kind("x")).code == code, kind


@pytest.mark.parametrize(
    ("body", "code", "text"),
    [
        ({"doc_type": "minutes", "unit": "某社区"}, "unknown_document_type", "未知的文种"),
        ({"doc_type": "work-summary", "unit": "某社区", "period": "去年"}, "bad_period", "时间段"),
        ({"doc_type": "work-summary", "unit": "某社区", "citation_style": "x"}, "bad_request", "x"),
    ],
)
def test_bad_draft_requests_are_400_with_their_own_code(fake_client, body, code, text) -> None:
    err = _assert_error(fake_client.post("/drafts", json=body), 400, code)
    assert text in err["message"]


def test_a_failed_service_is_503_and_says_which(tmp_path) -> None:
    from answer import GenerationError

    settings = Settings(data_dir=tmp_path)
    services = make_fake_services(settings)

    class Failing:
        name = "failing"

        def generate(self, question, hits, *, history=()):
            raise GenerationError("生成服务无法连接")

    services.generator = Failing()  # type: ignore[misc,assignment]
    app = create_app(settings=settings, services=services)
    with TestClient(app, raise_server_exceptions=False) as client:
        resp = client.post("/chat", json={"message": "党建"})
    err = _assert_error(resp, 503, "generation_failed")
    assert "生成服务无法连接" in err["message"]
