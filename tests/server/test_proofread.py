"""``POST /proofread`` and ``kb proofread``: a .docx or text in, findings or the
commented .docx out; bad input answered with a clear 4xx; the upload is not kept."""

from __future__ import annotations

import io
import json

import docx
import pytest
from click.testing import CliRunner

from server.cli import cli
from server.services import Services
from server.settings import Settings
from tests.drafting.proofread.conftest import PassageSearcher
from tests.drafting.proofread.docx_variants import apply_layout, render_document

TITLE = "湖北路街道2022年第三季度工作总结"
SECTIONS = (
    (
        "一、基本情况",
        (
            (0, "截止2022年9月,社区共有党员126名。"),
            (0, "社区建有党群服务中心1个。"),
        ),
    ),
    ("三、主要做法", ((0, "坚持党建引领，推动各项工作落地见效。"),)),
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def flawed() -> bytes:
    return apply_layout(render_document(TITLE, SECTIONS), {"margins_mm": [25, 25, 30, 30]})


def _upload(client, data: bytes, name: str = "季度总结.docx", **params):
    return client.post("/proofread", params=params, files={"file": (name, data, DOCX)})


def test_docx_upload_returns_findings_of_every_kind(fake_client, flawed) -> None:
    response = _upload(fake_client, flawed)
    assert response.status_code == 200, response.text
    body = response.json()
    ids = {f["rule_id"] for f in body["findings"]}
    assert {
        "wording.截至",
        "punct.halfwidth",
        "structure.heading_sequence",
        "layout.margins",
    } <= ids
    first = body["findings"][0]
    assert set(first) >= {"rule_id", "kind", "severity", "paragraph", "quote", "message"}
    assert body["errors"] >= 4 and body["filename"] == "季度总结.docx"
    assert body["kept_as"] is None
    # the fake index holds nothing: every figure is reported as not found, as a 建议
    unsourced = [f for f in body["findings"] if f["rule_id"] == "figures.unsourced"]
    assert unsourced and all(f["severity"] == "建议" for f in unsourced)


def test_docx_download_carries_the_findings_as_comments(fake_client, flawed) -> None:
    response = _upload(fake_client, flawed, format="docx", check_figures=False)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert "filename*=" in response.headers["content-disposition"]
    comments = list(docx.Document(io.BytesIO(response.content)).comments)
    assert len(comments) == int(response.headers["x-proofread-findings"]) > 0
    assert any("截至" in c.text for c in comments)


def test_text_as_json(fake_client) -> None:
    text = "关于开展环境整治的通知\n一、工作目标。\n各社区要作好排查,确保其它工作不受影响。"
    response = fake_client.post("/proofread", json={"text": text, "check_figures": False})
    assert response.status_code == 200, response.text
    ids = {f["rule_id"] for f in response.json()["findings"]}
    assert {"structure.heading1_stop", "wording.做好", "wording.其他", "punct.halfwidth"} <= ids
    assert response.json()["figures_checked"] == 0
    refused = fake_client.post("/proofread", params={"format": "docx"}, json={"text": text})
    assert refused.status_code == 400


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (b"just some text", "notes.docx", 415, "not_docx"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 64
            + "EncryptedPackage".encode("utf-16-le"),
            "locked.docx",
            422,
            "encrypted_document",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc", 415, "not_docx"),
        (b"", "empty.docx", 400, "empty_file"),
    ],
)
def test_bad_uploads_get_a_clear_error(fake_client, data, name, status, code) -> None:
    response = _upload(fake_client, data, name)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])


def test_wrong_request_shapes(fake_client) -> None:
    assert (
        fake_client.post(
            "/proofread", content=b"x", headers={"content-type": "text/plain"}
        ).status_code
        == 415
    )
    missing = fake_client.post("/proofread", data={"other": "1"}, files={"x": ("a.txt", b"a")})
    assert missing.status_code == 400
    assert fake_client.post("/proofread", json={"text": ""}).status_code == 400


def test_the_upload_is_kept_only_when_asked(make_fake_client, flawed, tmp_path) -> None:
    client = make_fake_client()
    uploads = tmp_path / "data" / "uploads"
    assert _upload(client, flawed, check_figures=False).status_code == 200
    assert not uploads.exists() or not any(uploads.rglob("*.docx"))
    kept = _upload(client, flawed, keep=True, check_figures=False).json()["kept_as"]
    assert kept and (tmp_path / "data" / kept).read_bytes() == flawed


def test_cli_lists_findings_and_writes_comments(monkeypatch, tmp_path, flawed) -> None:
    services = Services(Settings(data_dir=tmp_path / "data"))
    services.searcher = PassageSearcher(["社区共有党员126名，建有党群服务中心1个。"])  # type: ignore[misc,assignment]
    monkeypatch.setattr("server.commands.proofread.get_services", lambda ctx: services)
    source = tmp_path / "季度总结.docx"
    source.write_bytes(flawed)
    out = tmp_path / "out" / "审校.docx"
    result = CliRunner().invoke(cli, ["proofread", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "[错误]" in result.output and "截至" in result.output
    assert "核对数字 2 处" in result.output  # 126名 and 1个, both found in the passage
    assert len(list(docx.Document(str(out)).comments)) > 0

    as_json = CliRunner().invoke(cli, ["proofread", str(source), "--json", "--no-figures"])
    payload = json.loads(as_json.output)
    assert payload["figures_checked"] == 0 and payload["findings"]

    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a document")
    refused = CliRunner().invoke(cli, ["proofread", str(bad)])
    assert refused.exit_code != 0 and "不是 .docx" in refused.output


@pytest.mark.slow
def test_figures_against_the_real_index(real_client) -> None:
    """The sample corpus says 576户 and 60户 (通元花园小区, 西工区): a document that
    says 586户 gets an error citing that article; an invented figure gets the note."""
    sections = (
        (
            "一、基本情况",
            (
                (0, "房产证办不下来是通元花园小区586户居民的心病。"),
                (0, "截至目前，已有60户业主拿到房产证，后续工作正在有序进行。"),
                (0, "通元花园小区全年开展文艺演出17场。"),
            ),
        ),
    )
    data = render_document("西工区通元花园小区工作总结", sections)
    body = _upload(real_client, data).json()
    figures = [f for f in body["findings"] if f["kind"] == "figures"]
    contradiction = [f for f in figures if f["rule_id"] == "figures.contradiction"]
    assert len(contradiction) == 1, figures
    assert "586户" in contradiction[0]["quote"] and "576户" in contradiction[0]["message"]
    assert "西工区" in contradiction[0]["source"]["title"]
    assert contradiction[0]["suggestion"] and "576户" in contradiction[0]["suggestion"]
    unsourced = [f for f in figures if f["rule_id"] == "figures.unsourced"]
    assert [("17场" in f["quote"]) for f in unsourced] == [True]
    assert "未在知识库中找到出处" in unsourced[0]["message"]
    assert body["figures_checked"] == 3
