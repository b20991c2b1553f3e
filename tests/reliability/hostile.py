"""Writes a corpus of hostile files (and a few good ones) into a folder at test time.

Nothing binary is committed: every file is built here, in a few seconds. Each
entry of :data:`EXPECTED` says what ingest must make of the file: ``"indexed"``
(its text, :attr:`HostileFile.must_contain`, is searchable afterwards) or
``"rejected"`` (reported as failed with a reason matching ``reason``).
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import CORPUS_DIR

__all__ = [
    "HostileFile",
    "docx_bytes",
    "write_big_text",
    "write_hostile_corpus",
    "zip_bomb_docx",
]

GOOD_TEXT = (
    "关于开展社区网格化服务管理的工作情况\n"
    "一、基本情况\n"
    "今年以来，七里河街道党工委以网格党支部建设为抓手，共建成网格党支部二十六个，"
    "组织党员志愿者开展入户走访一千二百余次。\n"
    "二、主要做法\n"
    "坚持“书记抓、抓书记”，把矛盾纠纷化解在网格，把便民服务送到家门口。\n"
)
GBK_TEXT = "桃园社区老年食堂今年共为辖区高龄老人提供助餐服务三万余人次，深受群众欢迎。"
UTF16_TEXT = "青石板社区成立红色物业联盟，推动物业服务企业与社区党组织共建共治。"
NAMED_TEXT = "望江街道组织开展垃圾分类宣传进楼栋活动，居民参与率明显提升。"
DOCX_TEXT = "云岭社区组织党员开展“我为群众办实事”实践活动，解决群众急难愁盼问题四十余件。"


@dataclass(frozen=True)
class HostileFile:
    """One generated file and what ingest must make of it."""

    relpath: str
    # "indexed", "rejected", or "hidden": a dot-name that a folder walk skips like any
    # hidden file, but that an upload (whose name is sanitised) indexes.
    expect: str
    reason: str = ""  # for rejected files: a regex the failure reason must match
    must_contain: str = ""  # for indexed files: text that must end up in the index


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A real .docx (python-docx) holding ``paragraphs``."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(*, unpacked_bytes: int = 2**30) -> bytes:
    """A .docx-looking zip whose ``word/document.xml`` unpacks to ``unpacked_bytes``
    of zeros (about 1 MB compressed per GB), written in streamed blocks."""
    buffer = io.BytesIO()
    block = b"\0" * (16 * 2**20)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            left = unpacked_bytes
            while left > 0:
                part.write(block[: min(left, len(block))])
                left -= len(block)
    return buffer.getvalue()


def _image_only_pdf() -> bytes:
    """A one-page PDF whose only content is a picture: no text layer (a scan)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    bitmap = pdfium.PdfBitmap.new_native(300, 200, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, 300, 200)
    bitmap.fill_rect((20, 20, 20, 255), 30, 40, 240, 120)  # where a scanned paragraph would be
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(300, 200).translate(100, 500))
    page.insert_obj(image)
    page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def write_big_text(path: Path, *, size: int) -> Path:
    """``size`` bytes of real Chinese text (the sample corpus, repeated), UTF-8."""
    unit = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt")))
    encoded = (unit + "\n").encode("utf-8")
    with path.open("wb") as handle:
        left = size
        while left > 0:
            piece = encoded[:left]
            # Never cut a character in half at the end.
            piece = (
                piece.decode("utf-8", "ignore").encode("utf-8") if left < len(encoded) else piece
            )
            if not piece:
                break
            handle.write(piece)
            left -= len(piece)
    return path


def write_hostile_corpus(folder: Path, *, bomb_bytes: int = 2**30) -> list[HostileFile]:
    """Write the hostile corpus (and the good files of the same batch) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    good_docx = docx_bytes([DOCX_TEXT, GOOD_TEXT])
    files: dict[str, tuple[bytes, HostileFile]] = {}

    def add(relpath: str, data: bytes, **expect: str) -> None:
        files[relpath] = (data, HostileFile(relpath=relpath, **expect))  # type: ignore[arg-type]

    add("good.txt", GOOD_TEXT.encode("utf-8"), expect="indexed", must_contain="网格党支部二十六个")
    add("good.docx", good_docx, expect="indexed", must_contain="急难愁盼")
    add(
        "gbk_no_bom.txt",
        (GBK_TEXT + "\n" + GOOD_TEXT.replace("七里河", "桃园")).encode("gbk"),
        expect="indexed",
        must_contain="老年食堂",
    )
    add(
        "utf16le_no_bom.txt",
        (UTF16_TEXT + "\n" + GOOD_TEXT.replace("七里河", "青石板")).encode("utf-16-le"),
        expect="indexed",
        must_contain="红色物业联盟",
    )
    add(
        "中文 文件名 带空格.txt",
        (NAMED_TEXT + "\n" + GOOD_TEXT).encode("utf-8"),
        expect="indexed",
        must_contain="垃圾分类宣传进楼栋",
    )
    add(
        "..%2F..%2Fetc.txt",
        ("路径穿越测试：" + NAMED_TEXT.replace("望江", "锦华")).encode("utf-8"),
        expect="hidden",
        must_contain="锦华街道",
    )
    add(
        "x..%2F..%2Fetc.txt",
        ("路径穿越测试：" + NAMED_TEXT.replace("望江", "锦江")).encode("utf-8"),
        expect="indexed",
        must_contain="锦江街道",
    )
    add(
        "sub/a..b../深层 目录/x.txt",
        ("目录名测试：" + NAMED_TEXT.replace("望江", "双桥")).encode("utf-8"),
        expect="indexed",
        must_contain="双桥街道",
    )
    add("empty.txt", b"", expect="rejected", reason=r"(?i)empty|空|no text|nothing")
    add(
        "binary.txt",
        bytes(rng.randrange(256) for _ in range(64 * 1024)),
        expect="rejected",
        reason=r"(?i)binary|二进制|not.*text|encod|编码|decode",
    )
    add(
        "truncated.docx",
        good_docx[: len(good_docx) // 2],
        expect="rejected",
        reason=r"(?i)docx|zip|corrupt|damaged|损坏",
    )
    add(
        "corrupt.docx",
        b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(4096)),
        expect="rejected",
        reason=r"(?i)docx|zip|corrupt|damaged|损坏",
    )
    add(
        "bomb.docx",
        zip_bomb_docx(unpacked_bytes=bomb_bytes),
        expect="rejected",
        reason=r"(?i)bomb|limit|too large|过大|unpack",
    )
    add(
        "pdf_named.docx",
        _image_only_pdf(),
        expect="rejected",
        reason=r"(?i)docx|zip|pdf|not a valid",
    )
    add(
        "docx_named.txt",
        good_docx,
        expect="rejected",
        reason=r"(?i)zip|docx|binary|not.*text",
    )
    add(
        "html_named.md",
        (
            "<!DOCTYPE html><html><head><title>通知</title></head><body>"
            "<nav>首页 | 新闻 | 登录</nav><p>"
            + NAMED_TEXT.replace("望江", "金牛")
            + "</p></body></html>"
        ).encode("utf-8"),
        expect="indexed",
        must_contain="金牛街道",
    )
    add(
        "scanned.pdf",
        _image_only_pdf(),
        expect="rejected",
        reason=r"(?i)no text|scann|扫描|OCR|text layer|empty",
    )
    out = []
    for relpath, (data, spec) in files.items():
        target = folder / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        out.append(spec)
    assert all(not part.startswith(os.sep) for part in files)
    return out
