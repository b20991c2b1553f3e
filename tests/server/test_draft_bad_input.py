"""Bad drafting input over HTTP: a clear message and a valid .docx, or a 4xx — never a
crash, never a file name that leaves the download folder."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from docx import Document

from server.app import create_app
from server.settings import Settings
from tests.conftest import CORPUS_DIR
from tests.drafting.conftest import CorpusSearcher
from tests.server.conftest import make_fake_services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[httpx.Client]:
    """The app with fake parts, searching the sample news corpus (filters honoured)."""
    from fastapi.testclient import TestClient

    settings = Settings(data_dir=tmp_path / "data")
    services = make_fake_services(settings, searcher=CorpusSearcher(CORPUS_DIR))
    with TestClient(create_app(settings=settings, services=services)) as test_client:
        yield test_client


def _draft_json(client, **body) -> dict:
    resp = client.post("/drafts", params={"format": "json"}, json=body)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _docx_text(resp: httpx.Response) -> str:
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == DOCX
    return "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)


def _download_name(resp: httpx.Response) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", resp.headers["content-disposition"])
    assert match
    return unquote(match.group(1))


def test_an_unknown_unit_says_so_and_still_drafts(client) -> None:
    draft = _draft_json(client, doc_type="quarterly-summary", unit="青山湖街道", period="2022Q3")
    assert any("未找到与“青山湖街道”相关的材料" in w for w in draft["warnings"])
    resp = client.post("/drafts", json={"doc_type": "quarterly-summary", "unit": "青山湖街道"})
    assert "青山湖街道" in _docx_text(resp)


def test_a_period_with_no_material_is_marked_in_the_draft(client) -> None:
    draft = _draft_json(client, doc_type="quarterly-summary", unit="湖北路街道", period="1999Q1")
    assert any("1999年第一季度" in w for w in draft["warnings"])
    first = draft["sections"][0]["paragraphs"][0]
    assert first["placeholder"] and "未找到1999年第一季度的材料" in first["text"]


def test_a_template_without_placeholders_gets_the_draft_appended(client) -> None:
    template = Document()
    template.add_paragraph("湖北路街道办事处（信笺）")
    buffer = io.BytesIO()
    template.save(buffer)
    resp = client.post(
        "/drafts/with-template",
        data={
            "request": '{"doc_type": "quarterly-summary", "unit": "湖北路街道", "period": "2022Q3"}'
        },
        files={"template": ("信笺.docx", buffer.getvalue(), DOCX)},
    )
    text = _docx_text(resp)
    assert text.startswith("湖北路街道办事处（信笺）")
    assert "湖北路街道2022年第三季度工作总结" in text and "参考材料" in text


def test_a_300_character_unit_name_is_a_422_that_names_the_field(client) -> None:
    resp = client.post("/drafts", json={"doc_type": "brief", "unit": "湖" * 297 + "街道"})
    assert resp.status_code == 422
    assert "unit" in resp.json()["error"]["message"]


@pytest.mark.parametrize("unit", ["../../etc/湖北路街道", "湖北路/街道", "..", "a\\..\\b街道"])
def test_a_unit_name_with_path_characters_downloads_under_a_clean_name(client, unit) -> None:
    resp = client.post("/drafts", json={"doc_type": "brief", "unit": unit})
    _docx_text(resp)  # a valid .docx
    name = _download_name(resp)
    assert name.endswith(".docx")
    # One plain file name: no separator, no "." or ".." component, not hidden.
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert Path(name).name == name and Path(name).stem not in ("", ".", "..")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"doc_type": "会议纪要", "unit": "湖北路街道"}, 400),
        ({"doc_type": "brief", "unit": "湖北路街道", "period": "去年"}, 400),
        ({"doc_type": "brief", "unit": "   "}, 422),
    ],
)
def test_unknown_type_unreadable_period_and_blank_unit_are_4xx(client, body, status) -> None:
    resp = client.post("/drafts", json=body)
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["message"]
