"""Bytes to text for plain-text formats: BOMs, UTF-16 without BOM, UTF-8, GBK/GB18030.

Chinese office files come in every encoding Windows ever wrote: UTF-8 with and
without BOM, "Unicode" (UTF-16 LE, usually with BOM) from Notepad, and GBK from
older tools. GBK and GB2312 are always decoded as GB18030, their superset: a
strict GB2312 decoder turns the common dash "——" (A1AA A1AA) into "――" or fails,
and GB18030 decodes every GBK byte sequence identically.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

import charset_normalizer

from ingest.errors import CorruptFileError

logger = logging.getLogger(__name__)

_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn", "ms936"})
_SAMPLE = 64 * 1024
# Control characters other than tab and newline never belong in a document's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b]")
_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")


def normalize_newlines(text: str) -> str:
    """Turn CRLF, CR and Unicode line/paragraph separators into ``\\n``; drop control chars.

    Full-width punctuation and spaces are kept as they are: they are part of
    Chinese typography, and later stages (cleaning, chunking) rely on them.
    """
    text = _NEWLINES.sub("\n", text)
    text = text.replace("\x0c", "\n").replace("\x0b", "\n")
    return _CONTROL.sub("", text)


def detect_encoding(data: bytes) -> str:
    """Return the Python codec name to decode ``data`` with.

    Raises :class:`CorruptFileError` when the bytes are not text in any encoding
    we accept (NUL bytes outside UTF-16, undecodable sequences).
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) and not data.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        return utf16
    if b"\x00" in data[:_SAMPLE]:
        raise CorruptFileError("binary data, not text (contains NUL bytes)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    return _guess_legacy(data)


def decode_text(data: bytes, *, declared: str | None = None) -> str:
    """Decode ``data`` to text with normalised newlines.

    ``declared`` is an encoding the container states (an HTML ``<meta charset>``);
    it is tried first, with GB2312/GBK widened to GB18030, and ignored if the bytes
    do not decode with it.
    """
    if declared:
        codec = _codec_for(declared)
        if codec:
            try:
                return normalize_newlines(data.decode(codec))
            except UnicodeDecodeError:
                logger.info("declared encoding %s does not fit; detecting", declared)
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorruptFileError(f"text could not be decoded as {encoding}: {exc.reason}") from exc
    if _looks_binary(text):
        raise CorruptFileError("binary data, not text (too many control characters)")
    return normalize_newlines(text)


def _codec_for(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "gb18030" if codec in _GB_FAMILY else codec


def _guess_bomless_utf16(data: bytes) -> str | None:
    """Spot UTF-16 without a BOM from what its high bytes look like.

    In UTF-16 every code unit's high byte for Chinese text is 0x4E-0x9F (CJK),
    0x30 (CJK punctuation), 0xFF (full-width forms), 0x20 (dashes, quotes) or 0x00
    (ASCII: newlines, digits). In LE those sit at odd offsets, in BE at even ones,
    while the other half is spread over all values. UTF-8, GBK and ASCII text
    show no such difference between the two halves.
    """
    sample = data[:_SAMPLE]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    even_share, odd_share = _high_byte_share(even), _high_byte_share(odd)
    # Mostly-ASCII UTF-16: NULs in one half only.
    if (odd_nul >= 0.3 and even_nul < 0.01) or (odd_share >= 0.9 and even_share < 0.6):
        candidate = "utf-16-le"
    elif (even_nul >= 0.3 and odd_nul < 0.01) or (even_share >= 0.9 and odd_share < 0.6):
        candidate = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(candidate)
    except UnicodeDecodeError:
        return None
    return None if _looks_binary(text) else candidate


def _high_byte_share(half: bytes) -> float:
    hits = sum(1 for b in half if b in (0x00, 0x20, 0x30, 0xFF) or 0x4E <= b <= 0x9F)
    return hits / len(half)


def _guess_legacy(data: bytes) -> str:
    """Pick a legacy encoding; Chinese first, since that is what our users have."""
    gb_ok = _decodes(data, "gb18030")
    best = charset_normalizer.from_bytes(data[:_SAMPLE]).best()
    guess = _codec_for(best.encoding) if best is not None else None
    logger.debug("charset-normalizer guess: %s", guess)
    if guess == "gb18030" and gb_ok:
        return "gb18030"
    if guess == "big5" and _decodes(data, "big5"):
        return "big5"
    # Short GBK text is often misread as cp949/shift_jis; when GB18030 decodes it
    # cleanly into mostly Chinese, trust that over the statistical guess.
    if gb_ok and _mostly_chinese(data.decode("gb18030")):
        return "gb18030"
    if guess and _decodes(data, guess):
        return guess
    if gb_ok:
        return "gb18030"
    raise CorruptFileError("text in an unknown encoding, or binary data")


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _mostly_chinese(text: str) -> bool:
    letters = [c for c in text if not c.isspace() and not c.isascii()]
    if not letters:
        return False
    cjk = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or unicodedata.category(c)[0] == "P")
    return cjk / len(letters) >= 0.9


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE]
    if not sample:
        return False
    bad = sum(
        1
        for c in sample
        if (unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")) and c not in "\t\n\r\x0c"
    )
    return bad / len(sample) > 0.01
