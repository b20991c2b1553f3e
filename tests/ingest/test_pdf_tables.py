"""PDF tables come back as rows of cells, and chunks keep a table's header with its rows.

The PDFs are LibreOffice prints of generated government-style .docx tables
(``bench/gov_tables.py``): merged cells, a register over seven pages whose
header row repeats on each, cells whose text wraps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import gov_tables
from ingest import chunk_document, read_document
from ingest.types import DocumentMetadata, SourceDocument
from tests.ingest.builders import soffice_convert


@pytest.fixture(scope="module")
def table_pdfs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[gov_tables.TableDoc, Path]]:
    """Every generated document as a PDF, converted once for the module."""
    folder = tmp_path_factory.mktemp("tables")
    out = {}
    for doc in gov_tables.all_docs():
        source = folder / f"{doc.name}.docx"
        source.write_bytes(doc.docx)
        out[doc.name] = (doc, soffice_convert(source, "pdf", folder))
    return out


@pytest.fixture(params=["merged_header", "long_table", "wrapped_cells"])
def table_pdf(request: pytest.FixtureRequest, table_pdfs):
    return table_pdfs[request.param]


def test_pdf_table_rows_come_back_cell_by_cell(table_pdf) -> None:
    expected, path = table_pdf
    doc = read_document(path)
    rows = [tuple(line.split("\t")) for line in doc.text.split("\n") if "\t" in line]
    assert rows == list(expected.tables[0])


def test_text_around_a_pdf_table_stays_in_place(table_pdf) -> None:
    expected, path = table_pdf
    lines = read_document(path).text.split("\n")
    first_row = "\t".join(expected.tables[0][0])
    intro = next(ln for ln in lines if ln.startswith("为全面掌握辖区社会救助工作情况"))
    assert lines.index(intro) < lines.index(first_row)
    assert not any("\t" in ln for ln in lines[: lines.index(first_row)])


def test_long_pdf_table_chunks_repeat_its_header(table_pdfs) -> None:
    table, path = table_pdfs["long_table"]
    doc = read_document(path)
    header = "\t".join(table.tables[0][0])
    chunks = chunk_document(doc, target_size=400, overlap=60)
    with_rows = [
        c for c in chunks if any(ln[:1].isdigit() and "\t" in ln for ln in c.text.split("\n"))
    ]
    assert len(with_rows) > 5  # 140 rows do not fit one chunk
    for chunk in with_rows:
        assert header in chunk.text.split("\n") or chunk.heading_path[-1] == header


# -- chunking of tab-separated rows (pure) ----------------------------------------


def _doc(text: str) -> SourceDocument:
    return SourceDocument(
        doc_id="t", source_key="t.docx", text=text, content_hash="", metadata=DocumentMetadata("t")
    )


HEADER = "序号\t社区\t姓名\t困难类型\t帮扶措施"


def _table_text(rows: int, *, before: str = "") -> str:
    body = [
        f"{n}\t七二五社区\t王建国\t低保\t送米面油；联系医疗救助。安排志愿者每周上门"
        for n in range(1, rows + 1)
    ]
    return "\n".join([*([before] if before else []), HEADER, *body, "以上情况每月汇总一次。"])


@pytest.mark.parametrize("filler", [0, 150, 290, 330])
def test_table_header_is_never_left_at_the_end_of_a_chunk(filler: int) -> None:
    before = (
        "为全面掌握辖区困难群众情况，现将走访登记情况汇总如下。" * (filler // 27) if filler else ""
    )
    text = _table_text(30, before=before)
    for target in (120, 200, 400):
        chunks = chunk_document(_doc(text), target_size=target, overlap=30)
        assert all(text[c.start : c.end] == c.text for c in chunks)
        for chunk in chunks:
            assert not chunk.text.endswith(HEADER), (target, filler)


def test_rows_are_whole_units_not_split_at_their_sentence_ends() -> None:
    text = _table_text(30)
    rows = [ln for ln in text.split("\n") if "\t" in ln]
    for chunk in chunk_document(_doc(text), target_size=200, overlap=0):
        lines = chunk.text.split("\n")
        for line in lines:
            if "\t" in line:
                assert line in rows  # a row is never cut at its 。/；


def test_split_table_carries_its_header_as_the_label_of_later_chunks() -> None:
    text = _table_text(40)
    chunks = chunk_document(_doc(text), target_size=200, overlap=0)
    later = [c for c in chunks if HEADER not in c.text and "\t" in c.text]
    assert later
    assert all(c.heading_path[-1] == HEADER for c in later)
    assert all(HEADER not in c.heading_path for c in chunks if HEADER in c.text)


def test_single_tab_line_is_not_a_table_header() -> None:
    text = "说明\t见附件\n" + "这是正文。" * 100
    chunks = chunk_document(_doc(text), target_size=200, overlap=0)
    assert all("说明\t见附件" not in c.heading_path for c in chunks)
