"""PDF preview of a .docx through LibreOffice (``soffice --headless --convert-to pdf``).

LibreOffice runs through ``ingest.soffice`` (a profile per conversion slot, the
whole process group killed on a timeout) with a private fontconfig file that
adds the GB/T 9704 font aliases (仿宋_GB2312 → an installed CJK face), so the
preview shows real glyphs even where the aliases are not installed system-wide.
"""

from __future__ import annotations

import logging
import tempfile
from importlib import resources
from pathlib import Path

import ingest
from ingest import SofficeFailedError, SofficeTimeoutError, convert_with_soffice, find_soffice
from textcore.errors import ServiceFailureError

__all__ = ["PdfConversionError", "SofficeMissingError", "convert_to_pdf", "find_soffice"]

log = logging.getLogger(__name__)

_FONT_ALIASES = "65-kb-official-cjk.conf"
_SYSTEM_FONTS_CONF = Path("/etc/fonts/fonts.conf")


class PdfConversionError(ServiceFailureError):
    """LibreOffice could not turn the document into a PDF."""


class SofficeMissingError(PdfConversionError):
    """LibreOffice (``soffice``) is not installed or not on the PATH."""


def _fontconfig_file(workdir: Path) -> Path | None:
    aliases = resources.files("drafting").joinpath("fonts", _FONT_ALIASES)
    if not aliases.is_file() or not _SYSTEM_FONTS_CONF.exists():
        return None
    alias_path = workdir / _FONT_ALIASES
    alias_path.write_bytes(aliases.read_bytes())
    conf = workdir / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{_SYSTEM_FONTS_CONF}</include>\n'
        f'  <include ignore_missing="yes">{alias_path}</include>\n'
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def convert_to_pdf(
    docx_path: Path, out_dir: Path, *, timeout: float = 120.0, soffice: str | None = None
) -> Path:
    """Convert ``docx_path`` to ``out_dir/<stem>.pdf`` and return that path.

    Raises ``SofficeMissingError`` when LibreOffice is not installed and
    ``PdfConversionError`` when it fails or runs longer than ``timeout`` seconds.
    """
    docx_path = Path(docx_path)
    if not docx_path.is_file():
        raise PdfConversionError(f"找不到要转换的文件：{docx_path}")
    binary = soffice or find_soffice()
    if binary is None:
        raise SofficeMissingError(
            "未安装 LibreOffice（找不到 soffice），无法生成 PDF 预览；请安装 libreoffice-writer"
        )
    with tempfile.TemporaryDirectory(prefix="kb-pdf-fonts-") as tmp:
        env: dict[str, str] = {}
        fonts_conf = _fontconfig_file(Path(tmp))
        if fonts_conf is not None:
            env["FONTCONFIG_FILE"] = str(fonts_conf)
        log.info("converting %s to PDF", docx_path)
        try:
            return convert_with_soffice(
                docx_path, to="pdf", out_dir=Path(out_dir), timeout=timeout, soffice=binary, env=env
            )
        except ingest.SofficeMissingError as exc:
            raise SofficeMissingError(f"无法启动 LibreOffice（{binary}）：{exc}") from exc
        except SofficeTimeoutError as exc:
            raise PdfConversionError(
                f"LibreOffice 转换超时（{timeout:g} 秒）：{docx_path.name}"
            ) from exc
        except SofficeFailedError as exc:
            raise PdfConversionError(
                f"LibreOffice 未能生成 PDF（退出码 {exc.returncode}）：{exc.detail}"
            ) from exc
