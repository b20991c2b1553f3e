"""One loader per file type: bytes in, raw text (not yet cleaned) and hints out.

The file's type comes from its suffix and is then checked against its content
(magic bytes): a ".docx" that is not a zip, or binary data named ".txt", is
reported as corrupt rather than guessed at. Third-party errors (python-docx,
pdfium, zipfile, converters) are translated into :mod:`ingest.errors` here, at
the boundary.

.doc and .wps files go through external converters (antiword, LibreOffice),
each run with a timeout and, for LibreOffice, a private throw-away profile so
that parallel conversions do not fight over the user's profile lock.
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

from ingest.clean import html_to_text
from ingest.encoding import decode_text, normalize_newlines
from ingest.errors import (
    ConverterMissingError,
    CorruptFileError,
    EmptyDocumentError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)

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
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)

# A docx part may expand this much at most; real XML compresses 5-20x, zip bombs 1000x.
_MAX_RATIO = 200
_RATIO_CHECK_FROM = 4 * 2**20
DEFAULT_CONVERTER_TIMEOUT = 120.0
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(\d{1,4}|第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—–\s]*$"
)


@dataclass(frozen=True)
class LoadedText:
    """Text extracted from a file, before boilerplate removal.

    ``fmt`` is the format the content was read as (``txt``, ``md``, ``html``,
    ``docx``, ``pdf``, ``doc``, ``wps``); ``hints`` holds what the container
    itself says (``title``, ``date``, ``author``, ``sitename``).
    """

    text: str
    fmt: str
    hints: Mapping[str, str] = field(default_factory=dict)


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
) -> LoadedText:
    """Extract the raw text of ``data``, read as the type ``filename``'s suffix names.

    Raises :class:`~ingest.errors.IngestError` subclasses: unknown suffix,
    content that does not match it, an empty file, a file (or a decompressed
    part) over ``max_bytes``, a missing converter.
    """
    fmt = file_format(filename)
    if not data:
        raise EmptyDocumentError("empty file (0 bytes)")
    if len(data) > max_bytes:
        raise FileTooLargeError(f"file is {len(data)} bytes, over the {max_bytes}-byte limit")
    loader = _LOADERS[fmt]
    loaded = loader(data, max_bytes=max_bytes, timeout=converter_timeout)
    if not loaded.text.strip():
        raise EmptyDocumentError(f"no text found in this {fmt} file")
    return loaded


# -- plain text --------------------------------------------------------------


def _load_plain(fmt: str) -> Callable[..., LoadedText]:
    def load(data: bytes, **_: object) -> LoadedText:
        _refuse_other_container(data, fmt)
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
    hints.update(_html_metadata(html))
    return LoadedText(html_to_text(html), "html", hints)


def _html_metadata(html: str) -> dict[str, str]:
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:  # metadata is a bonus; a failure must not lose the page
        logger.info("trafilatura metadata failed: %s", exc)
        return {}
    if meta is None:
        return {}
    out = {}
    for key in ("date", "author", "sitename"):
        value = getattr(meta, key, None)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


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


def _load_pdf(data: bytes, **_: object) -> LoadedText:
    if PDF_MAGIC not in data[:1024]:
        raise CorruptFileError("not a valid PDF (no %PDF header)")
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"PDF could not be opened: {exc}") from exc
    try:
        pages: list[list[str]] = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(normalize_newlines(textpage.get_text_range()).split("\n"))
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
    lines = [ln for page in pages for ln in page if not _PAGE_NUMBER.match(ln)]
    if not any(ln.strip() for ln in lines):
        raise EmptyDocumentError("no text layer (scanned PDF?)")
    return LoadedText("\n".join(join_pdf_lines(lines)), "pdf", hints)


def join_pdf_lines(lines: list[str]) -> list[str]:
    """Rejoin a PDF's visual lines into paragraphs.

    A line ends its paragraph when it ends a sentence, is clearly shorter than a
    full line, or the next line is indented or a heading. Lines are joined with
    no space between CJK characters and one space between Latin words.
    """
    stripped = [ln.rstrip() for ln in lines]
    widths = sorted(_width(ln.strip()) for ln in stripped if ln.strip())
    if not widths:
        return []
    full = widths[int(len(widths) * 0.9) - 1 if len(widths) > 1 else 0]
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(stripped):
        text = line.strip()
        if not text:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        indented = line[:1] in (" ", "\u3000", "\t")
        if current and (indented or _PDF_HEADING.match(text)):
            paragraphs.append(current)
            current = ""
        current = _join(current, text) if current else text
        nxt = stripped[i + 1] if i + 1 < len(stripped) else ""
        ends = text[-1] in "。！？!?；;：:" or (
            text[-1] in "”’」』)）" and text[-2:-1] in "。！？!?"
        )
        next_starts_paragraph = nxt[:1] in (" ", "\u3000", "\t") or _PDF_HEADING.match(nxt.strip())
        if (
            _PDF_HEADING.match(text)
            or _width(text) < 0.8 * full
            or (ends and next_starts_paragraph)
        ):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


_PDF_HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十\d]+[章节条])"
)


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _join(left: str, right: str) -> str:
    if _is_cjk(left[-1]) or _is_cjk(right[0]):
        return left + right
    if left.endswith("-") and left[-2:-1].isalpha():
        return left[:-1] + right  # hyphenated English word
    return left + " " + right


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
    if shutil.which("soffice") or shutil.which("libreoffice"):
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
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
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
    return normalize_newlines(result.stdout.decode("utf-8", "replace"))


def _soffice_to_text(data: bytes, *, suffix: str, timeout: float) -> str:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="kb-soffice-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / f"input{suffix}"
        source.write_bytes(data)
        out_dir = tmp_path / "out"
        command = [
            binary,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        result = _run(command, timeout=timeout)
        target = out_dir / "input.txt"
        if result.returncode != 0 or not target.exists():
            message = (
                result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
            )
            raise CorruptFileError(f"LibreOffice could not convert the file: {message}")
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
}
