"""Scans and photos made at test time: corpus-style text rendered with a CJK font.

Pages are drawn with PIL in Noto CJK (Debian fonts-noto-cjk) and wrapped into
PDFs with img2pdf, so each test has a scan whose true text it knows.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

import pytest

CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
SCAN_LINES = (
    "关于做好第三季度低保发放工作的通知",
    "各社区：为全面掌握辖区社会救助工作情况，现将有关事项通知如下。",
    "一、请各社区于9月30日前完成低保对象复核。",
)


def require_ocr_tools() -> None:
    """Skip, saying what to install, where Tesseract or ocrmypdf is missing."""
    from ingest.ocr import installed_languages

    if "chi_sim" not in installed_languages() or shutil.which("ocrmypdf") is None:
        pytest.skip(
            "OCR tools missing: apt-get install tesseract-ocr tesseract-ocr-chi-sim ocrmypdf"
        )


def _font(size: int):
    from PIL import ImageFont

    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    pytest.skip("no CJK font: apt-get install fonts-noto-cjk")


def render_page(lines: tuple[str, ...] | list[str], *, dpi: int = 300, width_in: float = 6.0):
    """A white page (PIL image) with ``lines`` in 12-point type at ``dpi``."""
    from PIL import Image, ImageDraw

    size = round(12 / 72 * dpi)  # 12 pt, the body size of office documents
    width = round(width_in * dpi)
    height = size * 2 * (len(lines) + 2)
    image = Image.new("L", (width, max(height, size * 4)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((size, size * (1 + 2 * n)), line, font=_font(size), fill=0)
    return image


def image_bytes(image, fmt: str, *, dpi: int = 300) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, dpi=(dpi, dpi))
    return out.getvalue()


def photo_bytes(seed: int = 7) -> bytes:
    """A JPEG of a "scene": gradients and blotches, no writing."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 900), (90, 140, 200))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(1200), rng.randrange(900)
        r = rng.randrange(20, 160)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(6))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def scan_pdf(pages: list, *, dpi: int = 300) -> bytes:
    """A PDF of page images and nothing else (no text layer), as a scanner makes."""
    if shutil.which("img2pdf") is None:
        pytest.skip("img2pdf missing: apt-get install img2pdf")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, page in enumerate(pages):
            path = Path(tmp) / f"p{n}.png"
            page.save(path, dpi=(dpi, dpi))
            paths.append(str(path))
        result = subprocess.run(["img2pdf", *paths], capture_output=True, timeout=60, check=True)
    return result.stdout


VERTICAL_COLUMNS = ("社区党建工作简报", "五星支部创建成效显著", "居民满意度持续提升")


def render_vertical(columns: tuple[str, ...] = VERTICAL_COLUMNS, *, dpi: int = 300):
    """Vertical text as on a banner or an old-style notice: columns read right to left."""
    from PIL import Image, ImageDraw

    size = round(12 / 72 * dpi)
    height = size * (max(len(c) for c in columns) + 4)
    image = Image.new("L", (size * (2 * len(columns) + 4), height), 255)
    draw = ImageDraw.Draw(image)
    for c, column in enumerate(columns):
        x = image.width - size * (2 * c + 3)
        for r, char in enumerate(column):
            draw.text((x, size * (2 + r)), char, font=_font(size), fill=0)
    return image


def image_only_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` blank page images without a text layer (a scan, as the loader
    sees it): one page built with pypdfium2, copied ``pages`` times."""
    import pypdfium2 as pdfium
    from PIL import Image

    one = pdfium.PdfDocument.new()
    page = one.new_page(200, 280)
    picture = pdfium.PdfImage.new(one)
    picture.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("L", (40, 56), 255)))
    picture.set_matrix(pdfium.PdfMatrix().scale(200, 280))
    page.insert_obj(picture)
    page.gen_content()
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(one, [0] * pages)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
