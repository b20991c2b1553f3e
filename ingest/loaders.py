"""One loader per file type: bytes in, raw text (not yet cleaned) and hints out.

The file's type comes from its suffix and is then checked against its content
(magic bytes): a ".docx" that is not a zip, or binary data named ".txt", is
reported as corrupt rather than guessed at. Third-party errors (python-docx,
pdfium, zipfile, converters) are translated into :mod:`ingest.errors` here, at
the boundary.

.doc and .wps files go through external converters (antiword, and LibreOffice
through :mod:`ingest.soffice`, the one runner that gives each conversion its own
profile and kills the whole process group on a timeout), each with a timeout.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ingest.clean import html_to_text, page_text
from ingest.encoding import decode_text, normalize_newlines
from ingest.errors import (
    ConverterMissingError,
    CorruptFileError,
    EmptyDocumentError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)
from ingest.ocr import OcrOptions, ProgressCallback, ocr_image, ocr_pdf_pages
from ingest.pdf_tables import PdfTable, continue_table, find_page_tables, open_tables
from ingest.soffice import (
    SofficeFailedError,
    SofficeMissingError,
    SofficeTimeoutError,
    convert_with_soffice,
    find_soffice,
)
from textcore import Numbering, heading_mark

logger = logging.getLogger(__name__)

__all__ = ["LoadedText", "SUPPORTED_SUFFIXES", "load_text", "file_format"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"
RTF_MAGIC = b"{\\rtf"

_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".doc": "doc",
    ".wps": "wps",
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    ".tif": "image",
    ".tiff": "image",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)

# A docx part may expand this much at most; real XML compresses 5-20x, zip bombs 1000x.
_MAX_RATIO = 200
_RATIO_CHECK_FROM = 4 * 2**20
DEFAULT_CONVERTER_TIMEOUT = 120.0
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_HTML_DOCUMENT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(\d{1,4}|第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—–\s]*$"
)


@dataclass(frozen=True)
class LoadedText:
    """Text extracted from a file, before boilerplate removal.

    ``fmt`` is the format the content was read as (``txt``, ``md``, ``html``,
    ``docx``, ``pdf``, ``doc``, ``wps``, ``image``); ``hints`` holds what the
    container itself says (``title``, ``date``, ``author``, ``sitename``).
    ``ocr`` says some of the text was recognised from images; ``warnings``
    what was left out (pages OCR gave up on).
    """

    text: str
    fmt: str
    hints: Mapping[str, str] = field(default_factory=dict)
    ocr: bool = False
    warnings: tuple[str, ...] = ()


def file_format(filename: str) -> str:
    """The format name for ``filename``'s suffix; :class:`UnsupportedFormatError` if unknown."""
    suffix = Path(filename).suffix.lower()
    try:
        return _FORMATS[suffix]
    except KeyError:
        shown = suffix or "(no extension)"
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFormatError(
            f"unsupported file type {shown}; supported: {supported}"
        ) from None


def load_text(
    data: bytes,
    *,
    filename: str,
    max_bytes: int = 100 * 2**20,
    converter_timeout: float = DEFAULT_CONVERTER_TIMEOUT,
    ocr: OcrOptions | None = None,
    progress: ProgressCallback | None = None,
) -> LoadedText:
    """Extract the raw text of ``data``, read as the type ``filename``'s suffix names.

    Images, and PDF pages without a text layer, are OCRed with ``ocr``'s
    options; ``progress(pages_done, pages_total)`` follows a long OCR.
    Raises :class:`~ingest.errors.IngestError` subclasses: unknown suffix,
    content that does not match it, an empty file, a file (or a decompressed
    part) over ``max_bytes``, a missing converter, an encrypted PDF, an image
    without text.
    """
    fmt = file_format(filename)
    if not data:
        raise EmptyDocumentError("empty file (0 bytes)")
    if len(data) > max_bytes:
        raise FileTooLargeError(f"file is {len(data)} bytes, over the {max_bytes}-byte limit")
    loader = _LOADERS[fmt]
    loaded = loader(
        data, max_bytes=max_bytes, timeout=converter_timeout, ocr=ocr, progress=progress
    )
    if not loaded.text.strip():
        raise EmptyDocumentError(f"no text found in this {fmt} file")
    return loaded


# -- plain text --------------------------------------------------------------


def _load_plain(fmt: str) -> Callable[..., LoadedText]:
    def load(data: bytes, **_: object) -> LoadedText:
        _refuse_other_container(data, fmt)
        if _HTML_DOCUMENT.match(data[:1024]):
            # A web page saved as .txt/.md: its tags and menus must not become text.
            return _load_html(data)
        return LoadedText(decode_text(data), fmt)

    return load


def _refuse_other_container(data: bytes, fmt: str) -> None:
    """Plain-text formats must not be a zip, PDF or OLE file under a text name."""
    for magic, what in ((ZIP_MAGIC, "a zip/docx"), (PDF_MAGIC, "a PDF"), (OLE_MAGIC, "a Word/WPS")):
        if data.startswith(magic):
            raise CorruptFileError(f"named .{fmt} but the content is {what} file")


def _load_html(data: bytes, **_: object) -> LoadedText:
    _refuse_other_container(data, "html")
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii") if m else None
    html = decode_text(data, declared=declared)
    hints: dict[str, str] = {}
    title = _HTML_TITLE.search(html)
    if title:
        hints["title"] = " ".join(_unescape(title.group(1)).split())
    # Bylines and datelines sit outside the article block that extraction keeps;
    # metadata is read from the whole page's text instead.
    hints["raw_text"] = page_text(html)
    return LoadedText(html_to_text(html), "html", hints)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


# -- docx --------------------------------------------------------------------


def _load_docx(data: bytes, *, max_bytes: int, **_: object) -> LoadedText:
    if not data.startswith(ZIP_MAGIC):
        if data.startswith(OLE_MAGIC):
            raise CorruptFileError("named .docx but the content is a legacy .doc/.wps file")
        raise CorruptFileError("not a valid .docx (a .docx is a zip package; this is not a zip)")
    _check_zip(data, max_bytes=max_bytes)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CorruptFileError(f"not a valid .docx: {exc}") from exc
    except Exception as exc:  # lxml and python-docx raise assorted errors on damaged parts
        raise CorruptFileError(f"damaged .docx: {exc}") from exc
    lines = list(_docx_lines(document))
    hints: dict[str, str] = {}
    title = (document.core_properties.title or "").strip()
    if title:
        hints["title"] = title
    return LoadedText(normalize_newlines("\n".join(lines)), "docx", hints)


def _check_zip(data: bytes, *, max_bytes: int) -> None:
    """Refuse zip bombs before anything decompresses: sizes come from the directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(f"not a valid .docx (damaged zip: {exc})") from exc
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        raise FileTooLargeError(
            f"the .docx unpacks to {total} bytes, over the {max_bytes}-byte limit (zip bomb?)"
        )
    for info in infos:
        if info.file_size >= _RATIO_CHECK_FROM and info.file_size > _MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise FileTooLargeError(
                f"part {info.filename} expands {info.file_size // max(info.compress_size, 1)}x"
                " when unpacked (zip bomb?)"
            )


def _docx_lines(document) -> list[str]:
    """Paragraphs and table rows in body order; headings are kept as their text."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(child, document)))
    return lines


def _table_lines(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        if cells:
            rows.append("\t".join(cells))
    return rows


# -- pdf ---------------------------------------------------------------------


def _load_pdf(
    data: bytes,
    *,
    ocr: OcrOptions | None = None,
    progress: ProgressCallback | None = None,
    **_: object,
) -> LoadedText:
    """Text pages through pdfium, ruled tables through pdfplumber, pages without
    a text layer through OCR (a page that has text is never OCRed)."""
    if PDF_MAGIC not in data[:1024]:
        raise CorruptFileError("not a valid PDF (no %PDF header)")
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFileError(
                "PDF已加密（需要密码才能打开）/ the PDF is encrypted: "
                "remove the password and upload it again"
            ) from exc
        raise CorruptFileError(f"PDF could not be opened: {exc}") from exc
    tables_doc = None  # pdfplumber's view of the file, opened for the first ruled page
    tables_tried = False
    try:
        pages: list[list[PdfLine | PdfTable]] = []
        scanned: list[int] = []
        for index, page in enumerate(pdf):
            textpage = page.get_textpage()
            if _needs_ocr(page, textpage):
                scanned.append(index)
                pages.append([])
            else:
                tables: list[PdfTable] = []
                if _has_paths(page):  # ruled tables are drawn with paths; most pages have none
                    if not tables_tried:
                        tables_doc, tables_tried = open_tables(data), True
                    if tables_doc is not None:
                        tables = find_page_tables(tables_doc, index)
                pages.append(_page_blocks(textpage, tables, height=page.get_height()))
            textpage.close()
            page.close()
        hints: dict[str, str] = {}
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
        if title:
            hints["title"] = title
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"PDF could not be read: {exc}") from exc
    finally:
        pdf.close()
        if tables_doc is not None:
            tables_doc.close()
    warnings: tuple[str, ...] = ()
    if scanned and ocr is not None and not ocr.enabled:
        warnings = (
            f"{len(scanned)}页没有文字层，文字识别已关闭，未读取 / {len(scanned)} page(s) "
            f"without a text layer ({_pages_named(scanned)}) not read: OCR is turned off",
        )
    elif scanned:
        texts, warnings = ocr_pdf_pages(data, scanned, options=ocr, progress=progress)
        for index, text in texts.items():
            pages[index] = [PdfLine(line, whole=True) for line in text.split("\n") if line]
    lines = _join_page_tables(pages)
    if not lines:
        detail = f": {'; '.join(warnings)}" if warnings else ""
        raise EmptyDocumentError(
            f"no text layer (scanned PDF?) and no text recognised by OCR{detail}"
        )
    return LoadedText(
        "\n".join(join_pdf_lines(lines)),
        "pdf",
        hints,
        ocr=bool(scanned) and (ocr is None or ocr.enabled),
        warnings=warnings,
    )


def _pages_named(pages: list[int]) -> str:
    """``pages`` (0-based) as the reader counts them, the first few of a long list."""
    shown = ", ".join(str(p + 1) for p in pages[:10])
    return f"page {shown}, …" if len(pages) > 10 else f"page {shown}"


# A page with fewer inked characters than this and an image on it is a scan: some
# scanners stamp a few characters (a page number, an app's name) as text.
_SCAN_MAX_CHARS = 10


def _needs_ocr(page, textpage) -> bool:
    text = textpage.get_text_range() if textpage.count_chars() else ""
    if sum(1 for ch in text if not ch.isspace()) >= _SCAN_MAX_CHARS:
        return False
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _has_paths(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2))


def _page_blocks(textpage, tables: list[PdfTable], *, height: float) -> list[PdfLine | PdfTable]:
    """The page's lines outside tables (page numbers dropped) and its tables, top to bottom."""

    def in_table(box: tuple[float, float, float, float]) -> bool:
        x, top = (box[0] + box[2]) / 2, height - (box[1] + box[3]) / 2
        return any(t.contains(x, top) for t in tables)

    lines = _mark_layout(_page_lines(textpage, skip=in_table if tables else None, height=height))
    lines = [ln for ln in lines if ln.text and not _PAGE_NUMBER.match(ln.text)]
    # Lines keep pdfium's order (reading order for the layouts we see); each
    # table goes in before the first line below its top.
    blocks: list[PdfLine | PdfTable] = list(lines)
    for table in tables:
        at = next((i for i, b in enumerate(blocks) if b.top > table.top), len(blocks))
        blocks.insert(at, table)
    return blocks


def _join_page_tables(pages: list[list[PdfLine | PdfTable]]) -> list[PdfLine]:
    """Flatten pages into lines; a table that runs on at the top of the next page
    is joined to the one that ended the previous page, its header said once."""
    flat: list[PdfLine | PdfTable] = []
    for blocks in pages:
        if (
            blocks
            and flat
            and isinstance(blocks[0], PdfTable)
            and isinstance(flat[-1], PdfTable)
            and continue_table(flat[-1], blocks[0])
        ):
            blocks = blocks[1:]
        flat.extend(blocks)
    lines: list[PdfLine] = []
    for block in flat:
        if isinstance(block, PdfTable):
            lines.extend(PdfLine("\t".join(row), whole=True) for row in block.rows())
        else:
            lines.append(block)
    return lines


@dataclass
class PdfLine:
    """One visual line of a PDF page, with where it starts and ends."""

    text: str
    left: float = 0.0
    right: float = 0.0
    height: float = 0.0
    indented: bool = False
    short: bool = False
    top: float = 0.0
    whole: bool = False  # a table row or an OCR paragraph: never joined with a neighbour


def _page_lines(
    textpage,
    *,
    skip: Callable[[tuple[float, float, float, float]], bool] | None = None,
    height: float = 0.0,
) -> list[PdfLine]:
    """The page's lines, each with its characters in left-to-right order.

    pdfium gives characters in content-stream order, which for text drawn in
    several runs (a dash from a fallback font, say) is not reading order; within
    a line, sorting by x restores it.
    """
    import pypdfium2.raw as pdfium_c

    lines: list[PdfLine] = []
    chars: list[tuple[float, str, tuple[float, float, float, float]]] = []

    def flush() -> None:
        if chars:
            line = _make_line(chars)
            line.top = height - max(box[3] for _x, _c, box in chars)
            lines.append(line)
            chars.clear()

    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index) or 32)
        if char in "\r\n":
            flush()
            continue
        box = textpage.get_charbox(index)
        if skip is not None and not char.isspace() and skip(box):
            continue
        chars.append((box[0], char, box))
    flush()
    return lines


def _make_line(chars: list[tuple[float, str, tuple[float, float, float, float]]]) -> PdfLine:
    inked = [box for _x, c, box in chars if not c.isspace()]
    if not inked:
        return PdfLine("")
    bottoms = [b[1] for b in inked]
    tops = [b[3] for b in inked]
    height = max(t - b for b, t in zip(bottoms, tops, strict=True)) or 1.0
    ordered = chars
    if max(bottoms) - min(bottoms) < height:  # one visual line: safe to reorder
        ordered = sorted(chars, key=lambda item: item[0])
    return PdfLine(
        _line_text(ordered, em=height),
        min(b[0] for b in inked),
        max(b[2] for b in inked),
        height,
    )


def _line_text(
    ordered: list[tuple[float, str, tuple[float, float, float, float]]], *, em: float
) -> str:
    """Spaces from geometry: a wide gap is a column break, a space next to Chinese is dropped.

    PDF producers put spaces between Chinese and digits ("238 个") that were never
    typed; table cells, on the other hand, are separated only by empty space.
    """
    out: list[str] = []
    prev: tuple[str, float] | None = None  # last inked char and its right edge
    pending_space = False
    for _x, char, box in ordered:
        if char.isspace():
            pending_space = True
            continue
        if prev is not None:
            gap = box[0] - prev[1]
            if gap > 1.5 * em:
                out.append("\t")
            elif pending_space and not (_is_cjk(prev[0]) or _is_cjk(char)):
                out.append(" ")
        out.append(char)
        prev = (char, box[2])
        pending_space = False
    return "".join(out)


def _mark_layout(lines: list[PdfLine]) -> list[PdfLine]:
    """Flag indented lines (a paragraph's first) and short ones (its last)."""
    inked = [ln for ln in lines if ln.text and not ln.whole]
    if not inked:
        return lines
    lefts = sorted(ln.left for ln in inked)
    rights = sorted(ln.right for ln in inked)
    heights = sorted(ln.height for ln in inked)
    margin_left = lefts[len(lefts) // 10]
    margin_right = rights[-1]  # justified text reaches it on every full line
    em = heights[len(heights) // 2]
    for ln in inked:
        ln.indented = ln.left > margin_left + 0.8 * em
        ln.short = ln.right < margin_right - 1.5 * em
    return lines


def join_pdf_lines(lines: list[PdfLine]) -> list[str]:
    """Rejoin a PDF's visual lines into paragraphs.

    A paragraph starts at an indented line or a heading and ends at a line
    that stops well short of the right margin. Lines are joined with no space
    between Chinese characters and one space between Latin words.
    """
    paragraphs: list[str] = []
    current = ""
    for ln in lines:
        if ln.whole:
            if current:
                paragraphs.append(current)
                current = ""
            paragraphs.append(ln.text)
            continue
        mark = heading_mark(ln.text)
        heading = mark is not None and mark.kind in _PDF_HEADINGS
        if current and (ln.indented or heading):
            paragraphs.append(current)
            current = ""
        current = _join(current, ln.text) if current else ln.text
        if heading or ln.short:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


# Numbering that starts a paragraph of its own in a PDF: 第X编/章/节/条, 一、, （一）.
_PDF_HEADINGS = frozenset(
    {
        Numbering.PART,
        Numbering.CHAPTER,
        Numbering.SECTION,
        Numbering.ARTICLE,
        Numbering.CN_ITEM,
        Numbering.CN_PAREN,
    }
)


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or 0x2010 <= ord(ch) <= 0x206F


def _join(left: str, right: str) -> str:
    if _is_cjk(left[-1]) or _is_cjk(right[0]):
        return left + right
    if left.endswith("-") and left[-2:-1].isalpha():
        return left[:-1] + right  # hyphenated English word
    return left + " " + right


# -- images (OCR) ------------------------------------------------------------

_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)


def _load_image(
    data: bytes,
    *,
    ocr: OcrOptions | None = None,
    progress: ProgressCallback | None = None,
    **_: object,
) -> LoadedText:
    if not data.startswith(_IMAGE_MAGIC):
        raise CorruptFileError("not a JPEG, PNG or TIFF image (the content does not match)")
    if ocr is not None and not ocr.enabled:
        raise EmptyDocumentError(
            "图片需要文字识别，但文字识别已关闭 / an image is read by OCR, which is turned off"
        )
    result = ocr_image(data, options=ocr)
    if progress is not None:
        progress(len(result.pages), len(result.pages))
    text = "\n".join(page for page in result.pages if page)
    return LoadedText(text, "image", ocr=True, warnings=result.warnings)


# -- converters (doc, wps) ---------------------------------------------------


def _load_doc(data: bytes, *, timeout: float, **_: object) -> LoadedText:
    if data.startswith(ZIP_MAGIC):
        raise CorruptFileError("named .doc but the content is a .docx (zip); rename it to .docx")
    if not (data.startswith(OLE_MAGIC) or data.startswith(RTF_MAGIC)):
        raise CorruptFileError("not a valid .doc (no Word header)")
    errors: list[str] = []
    if data.startswith(OLE_MAGIC) and shutil.which("antiword"):
        try:
            return LoadedText(_antiword(data, timeout=timeout), "doc")
        except IngestError as exc:
            errors.append(str(exc))
            logger.info("antiword failed (%s); trying LibreOffice", exc)
    if find_soffice():
        return LoadedText(_soffice_to_text(data, suffix=".doc", timeout=timeout), "doc")
    if errors:
        raise CorruptFileError(f"could not read .doc: {errors[0]}")
    raise ConverterMissingError(
        "reading .doc needs antiword or LibreOffice; install the Debian package "
        "'antiword' or 'libreoffice-writer'"
    )


def _load_wps(data: bytes, *, timeout: float, **_: object) -> LoadedText:
    if not (data.startswith(OLE_MAGIC) or data.startswith(ZIP_MAGIC)):
        raise CorruptFileError("not a valid .wps (no WPS/Word header)")
    if not find_soffice():
        raise ConverterMissingError(
            "reading .wps needs LibreOffice; install the Debian package 'libreoffice-writer'"
        )
    return LoadedText(_soffice_to_text(data, suffix=".wps", timeout=timeout), "wps")


def _antiword(data: bytes, *, timeout: float) -> str:
    with tempfile.TemporaryDirectory(prefix="kb-antiword-") as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        result = _run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(source)], timeout=timeout)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
        raise CorruptFileError(f"antiword could not read the file: {message}")
    text = normalize_newlines(result.stdout.decode("utf-8", "replace"))
    return "\n".join(_antiword_row(line) for line in text.split("\n"))


def _antiword_row(line: str) -> str:
    """antiword draws table rows as "|a |b |"; keep the cells, tab-separated like docx rows."""
    stripped = line.strip()
    if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
        return "\t".join(cell.strip() for cell in stripped[1:-1].split("|") if cell.strip())
    return line


def _soffice_to_text(data: bytes, *, suffix: str, timeout: float) -> str:
    with tempfile.TemporaryDirectory(prefix="kb-soffice-in-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        try:
            target = convert_with_soffice(
                source, to="txt:Text (encoded):UTF8", out_dir=Path(tmp) / "out", timeout=timeout
            )
        except SofficeMissingError as exc:
            raise ConverterMissingError(str(exc)) from exc
        except SofficeTimeoutError as exc:
            raise CorruptFileError(f"LibreOffice took longer than {timeout:.0f}s") from exc
        except SofficeFailedError as exc:
            message = exc.detail or f"exit {exc.returncode}"
            raise CorruptFileError(f"LibreOffice could not convert the file: {message}") from exc
        return decode_text(target.read_bytes())


def _run(command: list[str], *, timeout: float) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise ConverterMissingError(f"converter not found: {command[0]}") from exc
    except subprocess.TimeoutExpired as exc:
        raise CorruptFileError(f"{Path(command[0]).name} took longer than {timeout:.0f}s") from exc


_LOADERS: dict[str, Callable[..., LoadedText]] = {
    "txt": _load_plain("txt"),
    "md": _load_plain("md"),
    "html": _load_html,
    "docx": _load_docx,
    "pdf": _load_pdf,
    "doc": _load_doc,
    "wps": _load_wps,
    "image": _load_image,
}
