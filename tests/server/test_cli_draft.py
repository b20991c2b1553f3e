"""``kb draft``: options reach the composer, the .docx is written, errors are readable."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from server.cli import cli
from server.schemas import DraftFileOut
from server.services import Services
from server.settings import Settings
from tests.drafting.conftest import CorpusSearcher


@pytest.fixture
def fake_services(monkeypatch, corpus_dir, tmp_path):
    # The real composition root (kb draft calls Services.compose_draft/render_draft,
    # as POST /drafts does) over a searcher that reads the sample corpus.
    services = Services(Settings(data_dir=tmp_path / "data"))
    services.searcher = CorpusSearcher(corpus_dir)  # type: ignore[misc,assignment]
    services.generator = None  # type: ignore[misc,assignment]
    monkeypatch.setattr("server.commands.draft.get_services", lambda ctx: services)
    return services


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs]


def test_quarterly_summary_to_docx(fake_services, tmp_path):
    out = tmp_path / "summary.docx"
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "quarterly-summary",
            "--unit",
            "湖北路街道",
            "--period",
            "2022Q3",
            "--date",
            "2026-11-23",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"已生成：{out}" in result.output
    assert "事实核对：100% 有来源" in result.output
    texts = _texts(out)
    assert texts[0] == "湖北路街道2022年第三季度工作总结"
    assert "一、主要工作及成效" in texts and "参考材料" in texts
    assert "2026年11月23日" in texts


def test_activity_plan_fields_notes_and_json(fake_services, tmp_path):
    out = tmp_path / "plan.docx"
    result = CliRunner().invoke(
        cli,
        [
            "draft", "活动方案", "--unit", "湖北路街道", "--topic", "重阳节敬老",
            "--field", "活动时间=2022年10月4日上午9:00", "--field", "活动地点：七二五社区花园餐厅",
            "--notes", "为老人免费理发。", "--citations", "inline", "--json", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == set(DraftFileOut.model_fields)  # the HTTP draft JSON + file paths
    assert payload["filename"] == "plan.docx" and payload["pdf"] is None
    assert payload["title"] == "湖北路街道重阳节敬老活动方案"
    assert payload["output"] == str(out)
    assert payload["request"]["fields"] == {
        "活动时间": "2022年10月4日上午9:00",
        "活动地点": "七二五社区花园餐厅",
    }
    texts = _texts(out)
    assert (
        "2022年10月4日上午9:00" in texts
        and "七二五社区花园餐厅" in texts
        and "为老人免费理发。" in texts
    )
    doc = Document(io.BytesIO(out.read_bytes()))
    markers = [
        r for p in doc.paragraphs for r in p.runs if r.text.startswith("[") and r.text.endswith("]")
    ]
    assert markers and not any(r.font.superscript for r in markers)


def test_template_option(fake_services, tmp_path):
    template = tmp_path / "letterhead.docx"
    doc = Document()
    doc.add_paragraph("湖北路街道办事处")
    doc.add_paragraph("{{标题}}")
    doc.add_paragraph("{{正文}}")
    doc.save(template)
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "work-report",
            "--unit",
            "湖北路街道",
            "--topic",
            "五星支部创建",
            "--template",
            str(template),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    texts = _texts(out)
    assert texts[:2] == ["湖北路街道办事处", "关于湖北路街道五星支部创建工作情况的报告"]
    assert "特此报告。" in texts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["draft", "minutes", "--unit", "湖北路街道"], "未知的文种"),
        (["draft", "brief", "--unit", "湖北路街道", "--period", "去年"], "无法识别的时间段"),
        (["draft", "brief", "--unit", "湖北路街道", "--field", "活动时间"], "名称=内容"),
        (["draft", "brief"], "--unit"),
    ],
)
def test_bad_options_are_usage_errors(fake_services, tmp_path, args, message):
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize("unit", ["../上级/湖北路街道", "湖北路街道/..", "..\\湖北路街道:*"])
def test_a_unit_name_never_makes_a_folder_or_leaves_the_output_folder(
    fake_services, tmp_path, unit
):
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["draft", "brief", "--unit", unit, "--topic", "敬老", "-d", str(out_dir)]
    )
    assert result.exit_code == 0, result.output
    written = list(out_dir.iterdir())
    assert len(written) == 1 and written[0].is_file()
    name = written[0].name
    assert name.endswith(".docx") and not name.startswith(".")
    assert not any(ch in name for ch in "/\\:*")
    assert "湖北路街道" in name
    assert {p.name for p in tmp_path.iterdir()} <= {"data", "out"}  # nothing beside it
    assert f"已生成：{out_dir / name}" in result.output


def test_the_default_name_is_the_cleaned_title_in_the_current_folder(
    fake_services, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["draft", "brief", "--unit", "湖北路街道", "--topic", "敬老"])
    assert result.exit_code == 0, result.output
    docs = list(tmp_path.glob("*.docx"))
    assert len(docs) == 1 and _texts(docs[0])[0] == docs[0].stem


def test_warnings_and_placeholders_are_reported(fake_services, tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "quarterly-summary",
            "--unit",
            "开元路街道",
            "--period",
            "2021Q1",
            "-o",
            str(tmp_path / "a.docx"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "提示：知识库中未找到2021年第一季度的材料" in result.output
    assert "待补充：" in result.output


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is needed for --pdf"
)
def test_real_index_draft_with_pdf(monkeypatch, corpus_kb, tmp_path):
    from server.services import Services
    from server.settings import Settings

    # The real composition root over the session's index: Services builds the searcher
    # and the generator (extractive, as no LLM is configured) as `kb` would.
    services = Services(
        Settings(data_dir=tmp_path / "data"),
        embedder=corpus_kb.embedder,
        knowledge_base=corpus_kb,
    )
    monkeypatch.setattr("server.commands.draft.get_services", lambda ctx: services)
    out = tmp_path / "湖北路.docx"
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            "work-report",
            "--unit",
            "湖北路街道",
            "--period",
            "2022年第三季度",
            "--pdf",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "湖北路.pdf").exists()
    assert "事实核对：100% 有来源" in result.output
    assert _texts(out)[0] == "关于湖北路街道2022年第三季度工作情况的报告"
