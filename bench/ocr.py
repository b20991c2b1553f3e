"""OCR accuracy and speed on pages of the sample corpus.

    python bench/ocr.py                       # writes bench/results/ocr.json
    python bench/ocr.py --pages-per-doc 2     # more pages
    python bench/ocr.py --pages-scan 300      # one 300-page scan: pages/s, peak RSS

Each text of corpus/news and corpus/policy is written to a .docx (12 pt body;
its punctuation put right first, as a printed office document has it), printed
to PDF by LibreOffice, and its first pages are rendered to images at 150 and 300
dpi with pdftoppm. The images of each resolution are put together as one scanned
PDF (img2pdf, no text layer) and read back through the product's own OCR path
(``ingest.ocr.ocr_pdf_pages``: ocrmypdf + Tesseract, 2 jobs).

Character error rate = edit distance between the OCR text and the page's text
layer (pdftotext, in reading order), over the text layer's length. The only
normalisation is that all whitespace is removed from both (OCR cannot know how
many spaces a line had; a space between Chinese characters is no character);
every other character, punctuation and its width included, must match
(``cer``). ``cer_nfkc`` folds full-/half-width forms first, so that "：" read as
":" does not count. ``--show-errors`` prints each page's differences. Pages/s is
wall-clock over the whole OCR run with 2 jobs; ``cpu_s_per_page`` (CPU time of
the OCR processes) gives the rate on 2 idle cores.
Target: CER <= 3 % at 300 dpi.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# bench/ingest.py would shadow the ingest package: the repository root goes first.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from ingest import OcrOptions, read_document  # noqa: E402
from ingest.ocr import default_languages, ocr_pdf_pages  # noqa: E402
from textcore import restore_punctuation  # noqa: E402

CER_GOAL = 0.03


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), one row at a time."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def squeeze(text: str, *, nfkc: bool = False) -> str:
    if nfkc:
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def _soffice(source: Path, out_dir: Path) -> Path:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise SystemExit("LibreOffice is needed: apt-get install libreoffice-writer")
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={(out_dir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        timeout=600,
        check=True,
    )
    return out_dir / (source.stem + ".pdf")


def _east_asian_font(style: Any, font: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
    # Chinese, so that a pan-CJK font's Chinese glyphs are asked for.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def corpus_pdfs(tmp: Path, *, font: str | None = None) -> list[Path]:
    """Each corpus text as a .docx (title + paragraphs, 12 pt), printed to PDF.

    ``font`` is the Chinese body font; by default none is named and LibreOffice
    takes its fallback CJK face (AR PL UKai, a 楷体, where no other is installed).
    """
    import docx
    from docx.shared import Pt

    sources = sorted((ROOT / "corpus" / "news").glob("*.txt")) + sorted(
        (ROOT / "corpus" / "policy").glob("*.md")
    )
    docx_paths = []
    for n, path in enumerate(sources):
        # The news texts come from web pages that mix half-width , ( ) into Chinese
        # prose; a printed office document has the full-width marks. The text is
        # printed with its punctuation put right (no letter or digit changes), so
        # that the page and the reference are what a scan of such a document holds.
        text = restore_punctuation(read_document(path).text)
        document = docx.Document()
        normal = document.styles["Normal"]
        normal.font.size = Pt(12)
        if font:
            _east_asian_font(normal, font)
        for paragraph in text.split("\n"):
            document.add_paragraph(paragraph)
        target = tmp / f"doc{n:02d}.docx"
        document.save(target)
        docx_paths.append(target)
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [
            str(binary),
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            *map(str, docx_paths),
        ],
        capture_output=True,
        timeout=900,
        check=True,
    )
    return [p.with_suffix(".pdf") for p in docx_paths]


def page_texts(pdf: Path, pages: int) -> list[str]:
    """The text layer of the first ``pages`` pages, in reading order (poppler's
    pdftotext: pdfium's text ranges put the quotation marks, drawn from a fallback
    font, at the end of their line, which made the reference disagree with the page)."""
    texts = []
    for page in range(1, pages + 1):
        result = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            break  # past the last page
        texts.append(result.stdout.decode("utf-8"))
    return texts


def alignment(reference: str, ocr: str) -> list[str]:
    """Where the OCR text differs from the page: ``ref[before|expected|after] ocr[got]``."""
    matcher = difflib.SequenceMatcher(a=reference, b=ocr, autojunk=False)
    return [
        f"{tag} ref[{reference[max(0, i1 - 4) : i1]}|{reference[i1:i2]}|"
        f"{reference[i2 : i2 + 4]}] ocr[{ocr[j1:j2]}]"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def render(pdf: Path, page: int, dpi: int, out: Path) -> Path:
    prefix = out / f"{pdf.stem}-p{page}-{dpi}"
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
        timeout=120,
    )
    return prefix.with_suffix(".png")


def long_scan(args: argparse.Namespace, tmp: Path, languages: str) -> dict[str, Any]:
    """A scan of ``args.pages_scan`` A4 pages at 300 dpi through the product's loader
    (page detection, OCR in batches, progress, warnings): every ``args.text_every``-th
    page is a corpus page, the others are blank (separator sheets, empty backs)."""
    from PIL import Image

    from ingest import load_bytes

    pdfs = corpus_pdfs(tmp, font=args.font)
    text_pages = [render(pdf, 0, 300, tmp) for pdf in pdfs]
    blank = tmp / "blank.png"
    Image.new("L", (2480, 3508), 255).save(blank, dpi=(300, 300))
    images = [
        text_pages[(n // args.text_every) % len(text_pages)] if n % args.text_every == 0 else blank
        for n in range(args.pages_scan)
    ]
    scan = tmp / "long-scan.pdf"
    subprocess.run(["img2pdf", "--output", str(scan), *map(str, images)], check=True, timeout=600)
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    doc = load_bytes(
        scan.read_bytes(),
        filename="long-scan.pdf",
        ocr=OcrOptions(languages=languages, jobs=args.jobs, page_timeout=args.page_timeout),
        progress=lambda done, total: print(f"  long scan: {done}/{total}", flush=True),
    )
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    row = {
        "pages": args.pages_scan,
        "text_pages": sum(1 for image in images if image != blank),
        "seconds": round(seconds, 1),
        "pages_per_s": round(args.pages_scan / seconds, 3),
        "cpu_s_per_page": round(cpu / args.pages_scan, 2),
        # ru_maxrss is in KiB on Linux; children: the largest single OCR process.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_mb_ocr_process": round(cpu_after.ru_maxrss / 1024),
        "characters": len(doc.text),
        "warnings": list(doc.warnings),
        "load_average": os.getloadavg()[0],
    }
    print(
        f"long scan: {row['pages']} pages in {row['seconds']} s ({row['pages_per_s']} pages/s), "
        f"peak RSS {row['peak_rss_mb']} MB (+ {row['peak_rss_mb_ocr_process']} MB OCR process)",
        flush=True,
    )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages-per-doc", type=int, default=1)
    parser.add_argument(
        "--pages-scan",
        type=int,
        default=0,
        help="instead: OCR one long scan of this many pages (kept in the results as long_scan)",
    )
    parser.add_argument("--text-every", type=int, default=10, help="long scan: text page interval")
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-pages", type=int, default=0, help="spread over the documents")
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=600.0,
        help="seconds per page before OCR gives up (generous: a shared machine is slow)",
    )
    parser.add_argument(
        "--show-errors", action="store_true", help="print where each page's OCR text differs"
    )
    parser.add_argument(
        "--font", default=None, help="the Chinese body font (default: LibreOffice's)"
    )
    parser.add_argument("--languages", default=None, help="Tesseract -l (default: the product's)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ocr.json")
    args = parser.parse_args(argv)
    languages = args.languages or default_languages()
    if args.pages_scan:
        results = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
        with tempfile.TemporaryDirectory(prefix="kb-bench-ocr-") as tmp_name:
            results["long_scan"] = long_scan(args, Path(tmp_name), languages)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        return 0
    results: dict[str, Any] = {
        "languages": languages,
        "jobs": args.jobs,
        "pages_per_doc": args.pages_per_doc,
        "font": args.font,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "tesseract": subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, check=False
        ).stdout.splitlines()[0],
        "by_dpi": {},
    }
    with tempfile.TemporaryDirectory(prefix="kb-bench-ocr-") as tmp_name:
        tmp = Path(tmp_name)
        pdfs = corpus_pdfs(tmp, font=args.font)
        references: list[tuple[Path, int, str]] = []
        for pdf in pdfs:
            for page, text in enumerate(page_texts(pdf, args.pages_per_doc)):
                if squeeze(text):
                    references.append((pdf, page, text))
        if args.max_pages and len(references) > args.max_pages:
            step = len(references) / args.max_pages
            references = [references[int(i * step)] for i in range(args.max_pages)]
        print(f"{len(references)} pages from {len(pdfs)} documents", flush=True)
        for dpi in args.dpi:
            images = [render(pdf, page, dpi, tmp) for pdf, page, _text in references]
            scan = tmp / f"scan-{dpi}.pdf"
            subprocess.run(
                ["img2pdf", "--output", str(scan), *map(str, images)], check=True, timeout=300
            )
            started = time.perf_counter()
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            texts, warnings = ocr_pdf_pages(
                scan.read_bytes(),
                range(len(images)),
                options=OcrOptions(
                    languages=languages, jobs=args.jobs, page_timeout=args.page_timeout
                ),
                progress=lambda done, total, dpi=dpi: print(
                    f"  {dpi} dpi: {done}/{total}", flush=True
                ),
            )
            seconds = time.perf_counter() - started
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU time of ocrmypdf and its Tesseract runs: on a shared machine the wall
            # clock measures the neighbours; 2 / cpu_s_per_page is pages/s on 2 idle cores.
            cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
                cpu_after.ru_stime - cpu_before.ru_stime
            )
            errors = errors_nfkc = chars = 0
            worst: list[tuple[float, str]] = []
            for n, (pdf, page, reference) in enumerate(references):
                ref, hyp = squeeze(reference), squeeze(texts.get(n, ""))
                e = edit_distance(ref, hyp)
                errors += e
                errors_nfkc += edit_distance(
                    squeeze(reference, nfkc=True), squeeze(texts.get(n, ""), nfkc=True)
                )
                chars += len(ref)
                name = f"{pdf.stem} page {page + 1}"
                worst.append((e / max(1, len(ref)), name))
                if args.show_errors:
                    print(f"  {dpi} dpi, {name}: CER {e / max(1, len(ref)):.2%} ({e}/{len(ref)})")
                    for line in alignment(ref, hyp):
                        print(f"    {line}")
            worst.sort(reverse=True)
            row = {
                "pages": len(references),
                "characters": chars,
                "cer": round(errors / chars, 4),
                "cer_nfkc": round(errors_nfkc / chars, 4),
                "seconds": round(seconds, 1),
                "pages_per_s": round(len(references) / seconds, 3),
                "cpu_s_per_page": round(cpu / len(references), 2),
                "pages_per_s_2_idle_cores": round(2 * len(references) / cpu, 3),
                "load_average": os.getloadavg()[0],
                "per_page": [{"page": name, "cer": round(c, 4)} for c, name in worst],
                "warnings": list(warnings),
            }
            results["by_dpi"][str(dpi)] = row
            print(
                f"{dpi} dpi: CER {row['cer']:.2%} (width-folded {row['cer_nfkc']:.2%}) on "
                f"{chars} chars, {row['pages_per_s']:.2f} pages/s",
                flush=True,
            )
    at_300 = results["by_dpi"].get("300")
    if at_300:
        results["goal_cer_300dpi"] = CER_GOAL
        results["goal_met"] = at_300["cer"] <= CER_GOAL
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
