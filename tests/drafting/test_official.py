"""GB/T 9704 elements on request: 版头, 附件说明, 署名/成文日期, 版记 — read back from the
.docx, from a filled template, and from the PDF preview."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from drafting import DraftRequest, compose_draft, convert_to_pdf, render_docx
from drafting.blocks import text_width
from drafting.official import attachments_from, imprint_from, normalize_doc_number
from drafting.pdf import find_soffice

FIELDS = {
    "发文机关标志": "湖北路街道办事处文件",
    "发文字号": "湖街发[2026]012号",
    "签发人": "张明",
    "主送机关": "涧西区人民政府",
    "附件": "1.五星支部创建台账；2.活动照片",
    "抄送": "区委组织部、区民政局",
    "印发机关": "湖北路街道党政办公室",
    "印发日期": "2026-12-01",
}


def _report(searcher, fields=FIELDS, doc_type="work-report"):
    request = DraftRequest(
        doc_type, "湖北路街道", period="2022Q3", fields=fields, date="2026-11-23"
    )
    return compose_draft(request, searcher=searcher)


def _paragraphs(data: bytes):
    return [p for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def _border(paragraph, side: str):
    borders = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
    edge = borders.find(qn(f"w:{side}")) if borders is not None else None
    return None if edge is None else (edge.get(qn("w:sz")), edge.get(qn("w:color")))


def test_fields_are_put_in_the_standard_form():
    assert normalize_doc_number("湖街发[2026]012号") == "湖街发〔2026〕12号"
    assert normalize_doc_number("湖街发（2026）3号") == "湖街发〔2026〕3号"
    assert attachments_from({"附件": "1.台账；2.照片。"}) == ("台账", "照片")
    imprint = imprint_from({"抄送": "区委组织部、区民政局"}, default_date="2026年11月23日")
    assert imprint is not None and imprint.copy_to == "区委组织部，区民政局。"
    assert imprint.print_date == "2026年11月23日"
    assert imprint_from({}, default_date="x") is None


def test_letterhead_reads_back_from_the_docx(corpus_searcher_fake):
    paragraphs = _paragraphs(render_docx(_report(corpus_searcher_fake)))
    mark, number, title = paragraphs[0], paragraphs[1], paragraphs[2]
    assert mark.text == "湖北路街道办事处文件"
    assert mark.style.name == "KB Issuer Mark"
    assert mark.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert mark.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    # An upward report: 发文字号 on the left, 签发人 (name in 楷体) on the right.
    assert number.text == "湖街发〔2026〕12号\t签发人：张明"
    signer = number.runs[-1]
    assert signer.text == "张明"
    assert signer._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    assert _border(number, "bottom") == ("8", "FF0000")  # the red separator
    assert title.style.name == "KB Title"
    assert paragraphs[3].text == "涧西区人民政府："


def test_a_summary_has_no_signer_and_a_centred_number(corpus_searcher_fake):
    draft = _report(corpus_searcher_fake, doc_type="quarterly-summary")
    assert draft.letterhead is not None and draft.letterhead.signer == ""
    assert any("签发人只用于上行文" in w for w in draft.warnings)
    number = _paragraphs(render_docx(draft))[1]
    assert number.text == "湖街发〔2026〕12号"


def test_attachments_signature_date_and_imprint(corpus_searcher_fake):
    draft = _report(corpus_searcher_fake)
    paragraphs = _paragraphs(render_docx(draft))
    texts = [p.text for p in paragraphs]
    first = texts.index("附件：1．五星支部创建台账")
    assert texts[first + 1] == "2．活动照片"
    assert paragraphs[first + 1].paragraph_format.left_indent == Pt(16 * 5)
    assert texts.index("特此报告。") < first < texts.index("湖北路街道")
    signature, date = (
        paragraphs[texts.index("湖北路街道")],
        paragraphs[texts.index("2026年11月23日")],
    )
    assert date.paragraph_format.right_indent == Pt(32)
    # 署名 centred over the date: half the difference in width more from the right.
    expected = 2 + (text_width("2026年11月23日") - text_width("湖北路街道")) / 2
    assert signature.paragraph_format.right_indent == Pt(16 * expected)

    copy_row = paragraphs[texts.index("抄送：区委组织部，区民政局。")]
    issue_row = paragraphs[texts.index("湖北路街道党政办公室\t2026年12月1日印发")]
    assert texts.index("2026年11月23日") < texts.index(copy_row.text) < texts.index("参考材料")
    assert copy_row.style.name == "KB Imprint"
    assert _border(copy_row, "top") == ("8", "000000")
    assert _border(issue_row, "top") == ("6", "000000")
    assert _border(issue_row, "bottom") == ("8", "000000")


def test_no_fields_no_letterhead_or_imprint(corpus_searcher_fake):
    draft = _report(corpus_searcher_fake, fields={})
    assert draft.letterhead is None and draft.imprint is None and draft.attachments == ()
    styles = {p.style.name for p in _paragraphs(render_docx(draft))}
    assert not styles & {"KB Issuer Mark", "KB Doc Number", "KB Imprint", "KB Attachment"}


def test_template_placeholders_take_the_elements(corpus_searcher_fake):
    template = Document()
    for text in (
        "{{发文机关标志}}",
        "{{发文字号}}　签发人：{{签发人}}",
        "{{正文}}",
        "{{附件说明}}",
        "抄送：{{抄送}}",
        "{{印发机关}}　{{印发日期}}印发",
    ):
        template.add_paragraph(text)
    buffer = io.BytesIO()
    template.save(buffer)
    data = render_docx(_report(corpus_searcher_fake), template=buffer.getvalue())
    texts = [p.text for p in _paragraphs(data)]
    assert texts[0] == "湖北路街道办事处文件"
    assert texts[1] == "湖街发〔2026〕12号　签发人：张明"
    assert "附件：1．五星支部创建台账" in texts
    assert "抄送：区委组织部，区民政局。" in texts
    assert "湖北路街道党政办公室　2026年12月1日印发" in texts
    assert not any("{{" in t for t in texts)


@pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler's pdftotext are needed",
)
@pytest.mark.slow
def test_the_elements_survive_into_the_pdf(corpus_searcher_fake, tmp_path: Path):
    docx = tmp_path / "报告.docx"
    docx.write_bytes(render_docx(_report(corpus_searcher_fake)))
    pdf = convert_to_pdf(docx, tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines[0] == "湖北路街道办事处文件"
    assert lines[1].startswith("湖街发〔2026〕12 号") and lines[1].endswith("签发人：张明")
    assert "附件：1．五星支部创建台账" in lines
    assert "抄送：区委组织部，区民政局。" in lines
    assert "湖北路街道党政办公室 2026 年 12 月 1 日印发" in lines
    assert lines.index("抄送：区委组织部，区民政局。") < lines.index("参考材料")


# The text block's bottom on an A4 page: 297 mm less the 35 mm bottom margin, in points.
_TEXT_BOTTOM = (297 - 35) / 25.4 * 72
_LINE = 28  # the body's line pitch, in points


def _pages_with_lines(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's text lines as (top, bottom, text), top to bottom."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [
            [
                (line["top"], line["bottom"], "".join(line["text"].split()))
                for line in page.extract_text_lines()
            ]
            for page in document.pages
        ]


_LONG_COPY_LIST = "、".join(
    f"区{name}"
    for name in (
        "委组织部",
        "民政局",
        "财政局",
        "人社局",
        "住建局",
        "卫健委",
        "城管局",
        "应急管理局",
        "市场监管局",
        "退役军人事务局",
    )
)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is needed")
@pytest.mark.slow
@pytest.mark.parametrize(
    ("doc_type", "copy_to"),
    [("work-report", FIELDS["抄送"]), ("brief", FIELDS["抄送"]), ("work-report", _LONG_COPY_LIST)],
    ids=["report", "brief", "two-line-copy-list"],
)
def test_the_imprint_stands_at_the_foot_of_the_last_page(
    corpus_searcher_fake, tmp_path: Path, doc_type: str, copy_to: str
):
    draft = _report(corpus_searcher_fake, fields={**FIELDS, "抄送": copy_to}, doc_type=doc_type)
    docx = tmp_path / "报告.docx"
    docx.write_bytes(render_docx(draft))
    pages = _pages_with_lines(convert_to_pdf(docx, tmp_path))
    located = [
        (number, top, bottom, text)
        for number, lines in enumerate(pages)
        for top, bottom, text in lines
    ]
    (date_page, _, date_bottom, _) = next(x for x in located if x[3] == "2026年11月23日")
    copy_lines = [x for x in located if x[3].startswith("抄送：")]
    (page, copy_top, _, _) = copy_lines[0]
    (issue_page, issue_top, issue_bottom, _) = next(x for x in located if x[3].endswith("日印发"))
    assert issue_page == page
    # the last row on the last line of the text block, not straight after the date
    assert _TEXT_BOTTOM - _LINE < issue_bottom <= _TEXT_BOTTOM + 2
    # the 抄送 row, however many lines it takes, ends above the 印发 row
    following = [x for x in located if x[0] == page and copy_top <= x[1] < issue_top]
    assert "".join(x[3] for x in following).endswith(
        "退役军人事务局。" if "退役" in copy_to else "民政局。"
    )
    assert (len(following) > 1) == (copy_to == _LONG_COPY_LIST)
    # on the page the text ends on, below all of it (or on the next page, if full)
    assert page in (date_page, date_page + 1)
    if page == date_page:
        assert date_bottom < copy_top
    body = [x for x in located if x[0] == page and x[1] < copy_top and not x[3].startswith("—")]
    assert all(bottom <= copy_top for _, _, bottom, _ in body)
    # the drafter's reference list comes after, on a page of its own
    assert pages[page + 1][0][2] == "参考材料"
