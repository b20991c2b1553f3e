"""Ruled tables in PDF pages, read as rows of cells through pdfplumber.

pdfplumber was chosen by measuring (``bench/pdf_tables.py``) on
government-style PDFs printed by LibreOffice from .docx tables: merged header
cells, a street column merged down, a 140-row register over seven pages, cells
whose text wraps. It found every table and got the cells right where PyMuPDF's
``find_tables`` reordered the punctuation inside wrapped cells and the
line-based text of pdfium ran the cells of a row together.

A row comes out as its cells in order, like a .docx table row: a cell merged
across columns once, a cell merged down repeated in every row it covers (each
row must make sense alone in a chunk), empty cells left out. Joining a table
that continues on the next page is the caller's business (it knows what else is
on the pages); :func:`continue_table` does the joining.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from dataclasses import dataclass, field

from textcore import CJK_TEXT_RANGES

logger = logging.getLogger(__name__)

__all__ = ["PdfTable", "continue_table", "find_page_tables", "open_tables"]

_CJK = re.compile(f"[{CJK_TEXT_RANGES}]")


@dataclass
class PdfTable:
    """One table on one page: its box (PDF points, ``top`` measured from the page
    top) and its rows. ``cells`` keeps each row's cells by column (``None`` for
    a position another cell covers), for joining a table split over pages."""

    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[list[str | None]] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.cells), default=0)

    def rows(self) -> list[list[str]]:
        """Rows as their non-empty cells in order (merged-down cells repeated)."""
        out: list[list[str]] = []
        for row in self.cells:
            cells = [c for c in row if c]
            if cells:
                out.append(cells)
        return out

    def contains(self, x: float, top: float) -> bool:
        return self.x0 - 1 <= x <= self.x1 + 1 and self.top - 1 <= top <= self.bottom + 1


def open_tables(data: bytes):
    """A pdfplumber document for ``data`` (close it when done), or ``None`` if unreadable."""
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises assorted errors; tables are then just text
        logger.info("pdfplumber could not open the PDF (%s); tables read as text", exc)
        return None


def find_page_tables(document, index: int) -> list[PdfTable]:
    """The ruled tables of page ``index`` (0-based), top to bottom."""
    try:
        page = document.pages[index]
        if not (page.rects or page.lines):  # pdfplumber finds ruled tables only
            return []
        found = page.find_tables()
        tables = [_read_table(t) for t in found]
    except Exception as exc:  # a damaged page: its text is still read by pdfium
        logger.info("table detection failed on page %d (%s)", index + 1, exc)
        return []
    tables = [t for t in tables if len(t.rows()) >= 2 and t.columns >= 2]
    return sorted(tables, key=lambda t: t.top)


def _read_table(table) -> PdfTable:
    x0, top, x1, bottom = table.bbox
    texts = table.extract()
    boxes = [row.cells for row in table.rows]
    cells: list[list[str | None]] = []
    for r, row in enumerate(texts):
        out: list[str | None] = []
        for c, text in enumerate(row):
            if text is None:
                out.append(_covering_text(boxes, texts, r, c))
            else:
                out.append(_cell_text(text))
        cells.append(out)
    return PdfTable(x0, top, x1, bottom, cells)


def _covering_text(boxes, texts, r: int, c: int) -> str | None:
    """The text of the cell merged down over position ``(r, c)``, or ``None``
    when the position is covered from the left (merged across: said once)."""
    row_boxes = boxes[r]
    centre_y = _row_centre(row_boxes)
    if centre_y is None:
        return None
    for above in range(r - 1, -1, -1):
        box = boxes[above][c] if c < len(boxes[above]) else None
        if box is None:
            continue
        if box[3] >= centre_y:  # its bottom reaches into this row: merged down
            text = texts[above][c]
            return _cell_text(text) if text else None
        return None
    return None


def _row_centre(row_boxes) -> float | None:
    real = [b for b in row_boxes if b is not None]
    if not real:
        return None
    return (min(b[1] for b in real) + min(b[3] for b in real)) / 2


def _cell_text(text: str) -> str:
    """A cell's lines joined: no space where Chinese wraps, one between Latin words."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        left, right = out[-1], line[0]
        both_words = left.isascii() and left.isalpha() and right.isascii() and right.isalpha()
        out += (" " if both_words else "") + line
    return re.sub(rf"(?<={_CJK.pattern}) (?={_CJK.pattern})", "", out)


def continue_table(previous: PdfTable, following: PdfTable) -> bool:
    """Join ``following`` (at the top of the next page) onto ``previous`` (at the
    bottom of this one) if it is the same table, and say whether it was.

    It is the same table when it has the same columns. A header row the layout
    repeats on the new page is dropped; a row the page break cut in two (its
    first cell empty on the new page) is put back together.
    """
    if previous.columns != following.columns or not previous.cells:
        return False
    rows = following.cells
    if rows and rows[0] == previous.cells[0]:
        rows = rows[1:]
    if rows and rows[0] and rows[0][0] == "" and previous.cells:
        last = previous.cells[-1]
        fragment = rows[0]
        previous.cells[-1] = [
            _glue(a, b) for a, b in itertools.zip_longest(last, fragment[: len(last)])
        ]
        rows = rows[1:]
    previous.cells.extend(rows)
    previous.bottom = following.bottom
    return True


def _glue(a: str | None, b: str | None) -> str | None:
    if not b:
        return a
    if not a:
        return b
    return _cell_text(a + "\n" + b)
