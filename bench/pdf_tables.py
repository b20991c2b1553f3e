"""Which library reads PDF tables best: cell-level fidelity on government-style PDFs.

    python bench/pdf_tables.py            # writes bench/results/pdf_tables.json

The documents come from ``bench/gov_tables.py`` (.docx tables with merged
cells, a seven-page register whose header repeats, wrapped cell text), printed
to PDF by LibreOffice. Each reader's rows are compared with the rows the .docx
was built from:

* ``row exact`` — rows whose cells are all right, in order;
* ``cell recall`` / ``cell precision`` — cells equal to the expected cell at
  the same position of the aligned row, over the expected / the extracted cells.

Readers: pdfplumber and PyMuPDF ``find_tables`` (the same merge and page-join
rules applied to both, from ``ingest/pdf_tables.py``), the product's PDF loader
(pdfium text + pdfplumber tables, as indexed), and the loader as it was before
(pdfium lines, cells split at wide gaps) as the baseline.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# bench/ingest.py would shadow the ingest package: the repository root goes first.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import gov_tables  # noqa: E402
from ingest import pdf_tables  # noqa: E402
from ingest.loaders import load_text  # noqa: E402

Rows = list[tuple[str, ...]]


def to_pdf(docx: bytes, name: str, tmp: Path) -> Path:
    source = tmp / f"{name}.docx"
    source.write_bytes(docx)
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise SystemExit("LibreOffice is needed: apt-get install libreoffice-writer")
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return tmp / f"{name}.pdf"


def _joined_rows(per_page: list[list[pdf_tables.PdfTable]]) -> Rows:
    """Tables page by page, a table at the top of a page joined to one ending the last."""
    flat: list[pdf_tables.PdfTable] = []
    for index, tables in enumerate(per_page):
        for n, table in enumerate(tables):
            if n == 0 and index > 0 and flat and pdf_tables.continue_table(flat[-1], table):
                continue
            flat.append(table)
    return [tuple(row) for table in flat for row in table.rows()]


def read_pdfplumber(path: Path) -> Rows:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        per_page = [pdf_tables.find_page_tables(pdf, i) for i in range(len(pdf.pages))]
    return _joined_rows(per_page)


def read_pymupdf(path: Path) -> Rows:
    import pymupdf

    per_page = []
    with pymupdf.open(path) as doc:
        for page in doc:
            found = page.find_tables().tables
            tables = [pdf_tables._read_table(t) for t in found]
            per_page.append(sorted((t for t in tables if len(t.rows()) >= 2), key=lambda t: t.top))
    return _joined_rows(per_page)


def read_loader(path: Path) -> Rows:
    text = load_text(path.read_bytes(), filename=path.name).text
    return [tuple(line.split("\t")) for line in text.split("\n") if "\t" in line]


def read_pdfium_lines(path: Path) -> Rows:
    """The loader as it was before tables: every line with a wide gap is a row."""
    from unittest import mock

    with mock.patch("ingest.loaders.find_page_tables", return_value=[]):
        text = load_text(path.read_bytes(), filename=path.name).text
    return [tuple(line.split("\t")) for line in text.split("\n") if "\t" in line]


READERS = {
    "pdfplumber": read_pdfplumber,
    "pymupdf": read_pymupdf,  # pip install pymupdf (the bench extra); skipped when missing
    "loader (pdfium + pdfplumber)": read_loader,
    "baseline (pdfium lines)": read_pdfium_lines,
}


def score(expected: Rows, got: Rows) -> dict[str, int]:
    """Align rows in order, then count cells equal at the same position."""
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    cells_ok = 0
    rows_ok = 0
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            rows_ok += a1 - a0
            cells_ok += sum(len(r) for r in expected[a0:a1])
        elif tag == "replace":
            for ea, gb in zip(expected[a0:a1], got[b0:b1], strict=False):
                cells_ok += sum(1 for x, y in zip(ea, gb, strict=False) if x == y)
    return {
        "rows_expected": len(expected),
        "rows_exact": rows_ok,
        "cells_expected": sum(len(r) for r in expected),
        "cells_extracted": sum(len(r) for r in got),
        "cells_correct": cells_ok,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pdf_tables.json")
    args = parser.parse_args(argv)
    docs = gov_tables.all_docs()
    results: dict[str, Any] = {"documents": {}, "readers": {}}
    with tempfile.TemporaryDirectory(prefix="kb-bench-tables-") as tmp:
        pdfs = {d.name: to_pdf(d.docx, d.name, Path(tmp)) for d in docs}
        import pypdfium2 as pdfium

        for d in docs:
            results["documents"][d.name] = {
                "pages": len(pdfium.PdfDocument(str(pdfs[d.name]))),
                "rows": sum(len(t) for t in d.tables),
            }
        for reader_name, reader in READERS.items():
            if reader is read_pymupdf and importlib.util.find_spec("pymupdf") is None:
                print("pymupdf not installed: skipped")
                continue
            totals = {
                "rows_expected": 0,
                "rows_exact": 0,
                "cells_expected": 0,
                "cells_extracted": 0,
                "cells_correct": 0,
            }
            per_doc = {}
            seconds = 0.0
            for d in docs:
                expected = [row for table in d.tables for row in table]
                started = time.perf_counter()
                got = reader(pdfs[d.name])
                seconds += time.perf_counter() - started
                s = score(expected, got)
                per_doc[d.name] = s
                for key in totals:
                    totals[key] += s[key]
            pages = sum(v["pages"] for v in results["documents"].values())
            results["readers"][reader_name] = {
                **totals,
                "row_exact_rate": round(totals["rows_exact"] / totals["rows_expected"], 4),
                "cell_recall": round(totals["cells_correct"] / totals["cells_expected"], 4),
                "cell_precision": round(
                    totals["cells_correct"] / max(1, totals["cells_extracted"]), 4
                ),
                "seconds_per_page": round(seconds / pages, 3),
                "per_document": per_doc,
            }
            r = results["readers"][reader_name]
            print(
                f"{reader_name:32s} rows exact {r['row_exact_rate']:.1%}  "
                f"cell recall {r['cell_recall']:.1%}  precision {r['cell_precision']:.1%}  "
                f"{r['seconds_per_page']:.2f} s/page"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
