"""Checks on uploaded files before anything reads them: a safe name, a size limit,
and a type judged by the content (magic bytes, decodable text), not the name alone."""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Iterable

from fastapi import UploadFile

from server.errors import BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError

_FALLBACK_SUFFIXES = frozenset(
    {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps"}
)
_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".text"})
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# Binary formats that must never pass as text, whatever the name says.
_BINARY_MAGIC = (
    _ZIP,
    _OLE2,
    b"%PDF-",
    b"\x7fELF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"MZ",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
)
_MAX_NAME = 180


def supported_suffixes() -> frozenset[str]:
    """The suffixes the ingest side reads (its own list once it exports one)."""
    import ingest

    return frozenset(getattr(ingest, "SUPPORTED_SUFFIXES", _FALLBACK_SUFFIXES))


def sanitize_filename(name: str | None) -> str:
    """A file name safe to show and store: the last path part only, no control
    characters, no leading dots; Chinese characters and inner spaces are kept."""
    raw = unicodedata.normalize("NFC", name or "")
    # Browsers on Windows may send a full ``C:\\...\\x.docx``; either separator counts.
    base = posixpath.basename(raw.replace("\\", "/"))
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in base
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\t"
    )
    cleaned = " ".join(kept.split()).lstrip(". ").rstrip(" ")
    if len(cleaned) > _MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (
            stem[: _MAX_NAME - len(suffix) - 1] + dot + suffix
            if dot and len(suffix) <= 10
            else cleaned[:_MAX_NAME]
        )
    if not cleaned or cleaned in {".", ".."}:
        raise BadRequestError("文件名无效 / Invalid file name", code="bad_filename")
    return cleaned


def draft_filename(title: str) -> str:
    """``<title>.docx`` for a draft, safe as a file name in the output folder.

    Path separators, characters Windows refuses (``:*?"<>|``), control and
    direction-override characters are taken out and leading/trailing dots and
    spaces stripped, so a "/" or ".." in a unit name never makes a folder or
    leaves the folder the file is written to."""
    kept = "".join(
        ch
        for ch in unicodedata.normalize("NFC", title)
        if ch not in '\\/:*?"<>|' and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    safe = " ".join(kept.split()).strip(" .") or "公文草稿"
    return f"{safe[:80]}.docx"


def suffix_of(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot else ""


def _looks_like_text(data: bytes) -> bool:
    """Whether ``data`` decodes as text the way the loader will decode it (UTF-8,
    GBK/GB18030, UTF-16 with or without BOM), without many control characters."""
    import ingest

    if data.startswith(_BINARY_MAGIC):
        return False
    head = data[:65536]
    # A multi-byte character may be cut at the sample's end: allow dropping up to 3 bytes.
    cuts = (0,) if len(head) == len(data) else (0, 1, 2, 3)
    for cut in cuts:
        try:
            text = ingest.decode_text(head[: len(head) - cut])
            break
        except (ingest.IngestError, UnicodeDecodeError):
            continue
    else:
        return False
    sample = text[:20000]
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"
    )
    return controls <= max(2, len(sample) // 200)


def check_content_type(name: str, data: bytes, *, allowed: Iterable[str] | None = None) -> None:
    """Raise ``415`` unless ``data`` really is the kind of file ``name`` says it is."""
    suffix = suffix_of(name)
    allowed_set = frozenset(allowed) if allowed is not None else supported_suffixes()
    if suffix not in allowed_set:
        shown = "、".join(sorted(allowed_set))
        raise UnsupportedMediaTypeError(
            f"不支持的文件类型“{suffix or '无扩展名'}”，支持：{shown} / "
            f"Unsupported file type {suffix or '(none)'}; supported: {', '.join(sorted(allowed_set))}"
        )
    if not data:
        raise BadRequestError(f"文件为空：{name} / Empty file: {name}", code="empty_file")
    ok: bool
    if suffix == ".pdf":
        ok = b"%PDF-" in data[:1024]
    elif suffix == ".docx":
        ok = data.startswith(_ZIP) and b"word/" in data
    elif suffix in (".doc", ".wps"):
        ok = data.startswith(_OLE2)
    elif suffix in _TEXT_SUFFIXES:
        ok = _looks_like_text(data)
    else:  # a suffix ingest added later: let its loader judge the content
        ok = True
    if not ok:
        raise UnsupportedMediaTypeError(
            f"文件内容与类型“{suffix}”不符：{name} / Content does not match {suffix}: {name}"
        )


async def read_limited(upload: UploadFile, *, max_bytes: int, name: str) -> bytes:
    """Read an upload, refusing (``413``) as soon as it passes ``max_bytes``."""
    parts: list[bytes] = []
    size = 0
    while chunk := await upload.read(1 << 20):
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLargeError(
                f"文件过大：{name}（上限 {max_bytes // 2**20} MB） / "
                f"File too large: {name} (limit {max_bytes // 2**20} MB)"
            )
        parts.append(chunk)
    return b"".join(parts)
