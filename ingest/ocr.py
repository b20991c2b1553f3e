"""Optical character recognition for scans and photos, through Tesseract.

PDF pages without a text layer go through ``ocrmypdf`` (which rasterises them,
straightens rotated pages with Tesseract's orientation detection, reads each
page as one block of lines and gives up on a page after a per-page time
limit); images (.jpg, .png, .tif) go through
the ``tesseract`` command directly, in its automatic layout mode with
orientation detection (``--psm 1``), as TSV so that words the engine is not
sure of can be dropped. Both run the simplified-Chinese model
(``chi_sim``, plus ``chi_sim_vert`` for vertical text when installed).

Long scans are OCRed in batches of pages so that a caller sees progress and a
page that fails or times out costs only that page: its text is left out with a
warning and the other pages are kept.

Everything here is an adapter around external programs; errors become
:mod:`ingest.errors` exceptions with a message for the user.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from ingest.errors import (
    ConverterMissingError,
    CorruptFileError,
    EmptyDocumentError,
    EncryptedFileError,
)
from textcore import CJK_TEXT_RANGES, restore_punctuation

logger = logging.getLogger(__name__)

__all__ = [
    "OcrBatchError",
    "OcrOptions",
    "OcrResult",
    "PageEngine",
    "ProgressCallback",
    "ocrmypdf_engine",
    "ocr_image",
    "ocr_pdf_pages",
    "tidy_ocr_text",
]

ProgressCallback = Callable[[int, int], None]
"""Called with ``(pages_done, pages_total)`` as OCR goes through a document."""

# Pages per ocrmypdf run: each run costs ~1.5 s of start-up (Python, Ghostscript)
# against 3-10 s of recognition per A4 page at 300 dpi on one core, so batches of
# 8 keep the overhead under ~5 % while progress still moves every half minute.
PAGES_PER_BATCH = 8
# Tesseract word confidence (0-100) under which a word from an image is dropped.
# On the rendered corpus pages nearly every correct word scores above 60; on
# photos without text the "words" Tesseract finds in texture score below 30.
MIN_WORD_CONFIDENCE = 30
# An image whose confident text has fewer characters than this holds no text:
# a photo's texture yields a handful of short confident "words" at most.
MIN_IMAGE_CHARS = 4
# Tesseract's orientation confidence needed to turn a page. ocrmypdf's default (14)
# is set for Latin script; a corpus page rendered turned by 90 degrees scored 7.9
# (Chinese pages have fewer, denser glyphs), upright pages score 0.
ROTATE_THRESHOLD = 4
# Tesseract's page segmentation for PDF pages: 6, one uniform block of text (the
# lines of a single-column document). The automatic layout analysis (3) lost or
# garbled whole lines on plain corpus pages at 300 dpi (a line starting with ——
# went missing and the three after it came out as noise: 106 errors on a page of
# 894 characters, 18 with 6; 64 → 24 on another). Images keep the automatic mode
# (``--psm 1``), which finds vertical columns and photographed pages.
PDF_PAGE_SEGMENTATION = 6
# The resolution assumed for an image that does not state one: a phone photo of an A4
# page is ~3000 px wide, which is 300 dpi over the page's width.
DEFAULT_IMAGE_DPI = 300
_INSTALL_HINT = (
    "install the Debian packages 'tesseract-ocr', 'tesseract-ocr-chi-sim' and 'ocrmypdf'"
)


@dataclass(frozen=True)
class OcrOptions:
    """How to run OCR.

    ``enabled`` off leaves scans and photos unread (a warning says so);
    ``languages`` is Tesseract's ``-l`` value (``None``: ``chi_sim``, plus
    ``chi_sim_vert`` when that model is installed); ``dpi`` the resolution
    recognition works at: a scanned page below it is upsampled to it (0: pages
    are read as scanned) and an image that does not state its resolution is
    taken to have it (300 when 0); ``page_timeout`` the seconds one page may take
    before its text is given up; ``jobs`` the pages OCRed in parallel;
    ``rotate_pages`` straightens pages turned by 90/180/270 degrees.
    """

    enabled: bool = True
    languages: str | None = None
    dpi: int = 0
    page_timeout: float = 180.0
    jobs: int = 1
    rotate_pages: bool = True


@dataclass(frozen=True)
class OcrResult:
    """Recognised text per page (``""`` for a page that gave none) and what went wrong."""

    pages: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@cache
def installed_languages() -> frozenset[str]:
    """The Tesseract models installed (empty when Tesseract is not)."""
    if shutil.which("tesseract") is None:
        return frozenset()
    result = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, timeout=30, check=False
    )
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def default_languages() -> str:
    """``chi_sim``, with ``chi_sim_vert`` added when it is installed."""
    langs = installed_languages()
    if "chi_sim" not in langs:
        raise ConverterMissingError(
            f"OCR needs Tesseract's simplified-Chinese model: {_INSTALL_HINT}"
        )
    return "chi_sim+chi_sim_vert" if "chi_sim_vert" in langs else "chi_sim"


def _languages(options: OcrOptions) -> str:
    return options.languages or default_languages()


# -- text tidying ------------------------------------------------------------

# Between a Chinese character and a Latin letter, a digit or a half-width mark
# (2023 年, 第 3 条, 各社区 :) Tesseract puts a space that the page does not have.
_SPACE_NEXT_TO_CJK = re.compile(
    rf"(?<=[{CJK_TEXT_RANGES}])[ \t]+(?=[0-9A-Za-z%,:;?!().\"'])"
    rf"|(?<=[0-9A-Za-z%,:;?!().\"'])[ \t]+(?=[{CJK_TEXT_RANGES}])"
)


def tidy_ocr_text(text: str) -> str:
    """Tesseract output as the document would have it.

    Lines of one paragraph (blocks are separated by blank lines) are joined, so
    that a paragraph is one line as for every other format; spaces Tesseract puts
    between Chinese characters (and between Chinese and digits) are removed, and
    the punctuation chi_sim reads in its half-width or straight form is restored
    (``textcore.restore_punctuation``: ，：；？！（） next to Chinese, “…” paired
    per paragraph). Letters and digits are left as read.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\f", "\n\n")):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            sep = "" if _is_wide(joined[-1]) or _is_wide(line[0]) else " "
            joined = joined + sep + line
        paragraphs.append(restore_punctuation(_SPACE_NEXT_TO_CJK.sub("", joined)))
    return "\n".join(paragraphs)


def _is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


# -- images ------------------------------------------------------------------


def ocr_image(data: bytes, *, options: OcrOptions | None = None) -> OcrResult:
    """Recognise the text of one image file (each frame of a multi-page TIFF is a page).

    Raises :class:`EmptyDocumentError` when no page holds text (a photo of a
    scene, a blank page), :class:`CorruptFileError` when the image cannot be
    decoded, :class:`ConverterMissingError` when Tesseract is not installed.
    """
    options = options or OcrOptions()
    frames = _image_frames(data, default_dpi=options.dpi or DEFAULT_IMAGE_DPI)
    languages = _languages(options)
    pages: list[str] = []
    warnings: list[str] = []
    for number, frame in enumerate(frames, start=1):
        try:
            pages.append(_tesseract_tsv(frame, languages=languages, timeout=options.page_timeout))
        except subprocess.TimeoutExpired:
            pages.append("")
            warnings.append(
                f"第{number}页识别超过{options.page_timeout:g}秒，已跳过 / page {number}: "
                f"OCR took longer than {options.page_timeout:g}s and was skipped"
            )
    if not any(pages):
        if warnings:
            raise EmptyDocumentError("; ".join(warnings))
        raise EmptyDocumentError(
            "图片中没有识别出文字 / no text found in this image (a photo rather than a scan?)"
        )
    return OcrResult(tuple(pages), tuple(warnings))


def _image_frames(data: bytes, *, default_dpi: int) -> list[bytes]:
    """The image's pages as PNG bytes (grey, at least 300 dpi worth of pixels)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames: list[bytes] = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frame = ImageOps.exif_transpose(image.copy()).convert("L")
            out = io.BytesIO()
            frame.save(out, format="PNG", dpi=_dpi(image, default_dpi))
            frames.append(out.getvalue())
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise CorruptFileError(f"图片无法读取 / the image could not be decoded: {exc}") from exc
    return frames


def _dpi(image, default: int) -> tuple[int, int]:
    """The image's resolution, ``default`` when it does not say (Tesseract guesses badly
    otherwise)."""
    dpi = image.info.get("dpi")
    try:
        x = int(round(float(dpi[0])))
    except (TypeError, ValueError, IndexError):
        x = 0
    x = x if 70 <= x <= 1200 else default
    return (x, x)


def _tesseract_tsv(png: bytes, *, languages: str, timeout: float) -> str:
    """One image through ``tesseract --psm 1 … tsv``: confident words, lines, paragraphs."""
    if shutil.which("tesseract") is None:
        raise ConverterMissingError(f"OCR needs Tesseract: {_INSTALL_HINT}")
    result = subprocess.run(
        ["tesseract", "-", "stdout", "-l", languages, "--psm", "1", "tsv"],
        input=png,
        capture_output=True,
        timeout=timeout,
        check=False,
        env=_single_thread_env(),
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()[-300:]
        raise CorruptFileError(f"Tesseract could not read the image: {message}")
    return tidy_ocr_text(_tsv_text(result.stdout.decode("utf-8", "replace")))


def _tsv_text(tsv: str) -> str:
    """Rebuild text from Tesseract TSV rows, keeping words at or above the confidence floor.

    Lines end with a newline and paragraphs with a blank line, as in
    Tesseract's own text output; an image with too little confident text gives "".
    """
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        word = cols[11].strip()
        if word and conf >= MIN_WORD_CONFIDENCE:
            key = (int(cols[1]), int(cols[2]), int(cols[3]), int(cols[4]))
            lines.setdefault(key, []).append(word)
    out: list[str] = []
    previous_paragraph: tuple[int, int, int] | None = None
    for key in sorted(lines):
        paragraph = key[:3]
        if previous_paragraph is not None and paragraph != previous_paragraph:
            out.append("")
        out.append(" ".join(lines[key]))
        previous_paragraph = paragraph
    text = "\n".join(out)
    if sum(1 for ch in text if ch.isalnum()) < MIN_IMAGE_CHARS:
        return ""
    return text


def _single_thread_env() -> dict[str, str]:
    """Tesseract's own OpenMP threads fight the page-level parallelism for 2 cores."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


# -- PDFs --------------------------------------------------------------------


class OcrBatchError(Exception):
    """A :class:`PageEngine` could not read a batch of pages (its message says why)."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class PageEngine(Protocol):
    """Reads the text of some pages of a PDF file.

    Returns each page's text (0-based page numbers; ``None`` for a page whose
    time ran out); raises :class:`OcrBatchError` when the batch could not be
    read, :class:`EncryptedFileError` when the file is encrypted.
    """

    def __call__(
        self, source: Path, pages: Sequence[int], *, languages: str, options: OcrOptions
    ) -> Mapping[int, str | None]: ...


def ocr_pdf_pages(
    data: bytes,
    pages: Sequence[int],
    *,
    options: OcrOptions | None = None,
    progress: ProgressCallback | None = None,
    engine: PageEngine | None = None,
) -> tuple[dict[int, str], tuple[str, ...]]:
    """OCR the given pages (0-based) of a PDF; other pages are not touched.

    Returns the text of each OCRed page (``""`` where nothing was recognised)
    and warnings naming the pages that timed out, failed or held no text; the
    text of every other page is kept. Pages go to ``engine`` (default:
    :func:`ocrmypdf_engine`) in batches of :data:`PAGES_PER_BATCH`; a batch that
    fails is retried page by page, so a bad page costs only itself.
    ``progress(pages_done, pages_total)`` is called after every batch.
    """
    options = options or OcrOptions()
    read = engine or ocrmypdf_engine
    languages = _languages(options)
    texts: dict[int, str] = {}
    problems: list[tuple[int, str]] = []  # (page, what went wrong), in page order
    todo = sorted(set(pages))
    with tempfile.TemporaryDirectory(prefix="kb-ocr-") as tmp:
        source = Path(tmp) / "input.pdf"
        source.write_bytes(data)
        for start in range(0, len(todo), PAGES_PER_BATCH):
            batch = todo[start : start + PAGES_PER_BATCH]
            found, failed = _read_batch(read, source, batch, languages=languages, options=options)
            for page in batch:
                text = found.get(page)
                texts[page] = text or ""
                if page in failed:
                    problems.append((page, f"failed:{failed[page]}"))
                elif page in found and text is None:
                    problems.append((page, "timeout"))
                elif not text:
                    problems.append((page, "empty"))
            done = min(start + PAGES_PER_BATCH, len(todo))
            logger.info("OCR: %d/%d pages", done, len(todo))
            if progress is not None:
                progress(done, len(todo))
    return texts, tuple(_warnings(problems, options))


def _warnings(problems: Sequence[tuple[int, str]], options: OcrOptions) -> list[str]:
    """One warning per run of neighbouring pages that went wrong the same way (a scan
    with fifty blank pages gets one line, not fifty)."""
    runs: list[tuple[int, int, str]] = []
    for page, problem in problems:
        if runs and runs[-1][1] == page - 1 and runs[-1][2] == problem:
            runs[-1] = (runs[-1][0], page, problem)
        else:
            runs.append((page, page, problem))
    out = []
    for first, last, problem in runs:
        zh = f"第{first + 1}页" if first == last else f"第{first + 1}-{last + 1}页"
        en = f"page {first + 1}" if first == last else f"pages {first + 1}-{last + 1}"
        if problem == "timeout":
            limit = f"{options.page_timeout:g}"
            out.append(
                f"{zh}识别超过{limit}秒，已跳过 / {en}: OCR took longer than {limit}s "
                "and was skipped; text of the other pages kept"
            )
        elif problem == "empty":
            out.append(f"{zh}没有识别出文字 / {en}: no text recognised (a blank page or a picture)")
        else:
            reason = problem.removeprefix("failed:")
            out.append(
                f"{zh}识别失败，已跳过 / {en}: OCR failed ({reason}); text of the other pages kept"
            )
    return out


def _read_batch(
    read: PageEngine, source: Path, batch: Sequence[int], *, languages: str, options: OcrOptions
) -> tuple[Mapping[int, str | None], dict[int, str]]:
    """The batch's pages through ``read``: their texts, and why each failed page failed."""
    try:
        return read(source, batch, languages=languages, options=options), {}
    except OcrBatchError as exc:
        if len(batch) == 1 or exc.timed_out:
            # A batch past its backstop has already had every page's time; trying the
            # pages again one by one could take that long again.
            return {}, dict.fromkeys(batch, str(exc))
        logger.warning(
            "OCR of pages %s failed (%s); trying them one by one", _page_list(batch), exc
        )
    found: dict[int, str | None] = {}
    failed: dict[int, str] = {}
    for page in batch:
        try:
            found.update(read(source, [page], languages=languages, options=options))
        except OcrBatchError as exc:
            failed[page] = str(exc)
    return found, failed


def _page_list(pages: Sequence[int]) -> str:
    if len(pages) == 1:
        return str(pages[0] + 1)
    return f"{pages[0] + 1}-{pages[-1] + 1}"


def ocrmypdf_engine(
    source: Path, pages: Sequence[int], *, languages: str, options: OcrOptions
) -> dict[int, str | None]:
    """The :class:`PageEngine` of the product: ``pages`` (0-based) of ``source`` through
    ocrmypdf and Tesseract; each page's text, ``None`` where its time ran out."""
    if shutil.which("ocrmypdf") is None:
        raise ConverterMissingError(f"OCR of scanned PDFs needs ocrmypdf: {_INSTALL_HINT}")
    out_dir = Path(tempfile.mkdtemp(dir=source.parent))
    sidecar = out_dir / "text.txt"
    command = [
        "ocrmypdf",
        "--quiet",
        "-l",
        languages,
        "--pages",
        ",".join(str(p + 1) for p in pages),
        "--skip-text",
        "--sidecar",
        str(sidecar),
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--tesseract-pagesegmode",
        str(PDF_PAGE_SEGMENTATION),
        "--tesseract-timeout",
        f"{options.page_timeout:g}",
        "--jobs",
        str(max(1, options.jobs)),
    ]
    if options.dpi:
        command += ["--oversample", str(options.dpi)]
    if options.rotate_pages:
        command += ["--rotate-pages", "--rotate-pages-threshold", str(ROTATE_THRESHOLD)]
    command += [str(source), str(out_dir / "out.pdf")]
    # A backstop against a hung ocrmypdf, not the page limit (Tesseract enforces that):
    # every page at its limit one after another, plus start-up and rasterising. Dividing
    # by the jobs lost whole batches on a loaded machine, where parallel pages crawl.
    limit = options.page_timeout * len(pages) + 120
    try:
        result = subprocess.run(
            command, capture_output=True, timeout=limit, check=False, env=_single_thread_env()
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrBatchError(f"took longer than {limit:.0f}s", timed_out=True) from exc
    stderr = result.stderr.decode("utf-8", "replace")
    if result.returncode == 8 or "EncryptedPdfError" in stderr or "encrypted" in stderr.lower():
        raise EncryptedFileError(
            "PDF已加密，无法识别扫描页 / the PDF is encrypted: remove the password and upload again"
        )
    if result.returncode != 0 or not sidecar.exists():
        raise OcrBatchError(stderr.strip()[-300:] or f"exit {result.returncode}")
    by_page = _sidecar_pages(sidecar.read_text(encoding="utf-8", errors="replace"))
    found: dict[int, str | None] = {}
    for page in pages:
        raw = by_page.get(page, "")
        # ocrmypdf writes this for a page whose Tesseract run hit --tesseract-timeout.
        found[page] = None if raw.strip() == "[skipped page]" else tidy_ocr_text(raw)
    return found


_SKIPPED = re.compile(r"^\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]$")


def _sidecar_pages(sidecar: str) -> dict[int, str]:
    """Split ocrmypdf's sidecar into pages (0-based): pages are separated by form
    feeds, and a run of pages that were not OCRed is one placeholder line."""
    pages: dict[int, str] = {}
    page = 0
    for part in sidecar.split("\f"):
        m = _SKIPPED.match(part.strip())
        if m:
            page = int(m.group(2) or m.group(1))  # 1-based last skipped == 0-based next
            continue
        pages[page] = part
        page += 1
    return pages
