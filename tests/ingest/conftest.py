"""Generated office fixtures, built once per session (LibreOffice conversions are slow)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.ingest.builders import build_docx, soffice_convert


@pytest.fixture(scope="session")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "季度 工作总结.docx"
    path.write_bytes(build_docx())
    return path


@pytest.fixture(scope="session")
def pdf_path(docx_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docx printed to PDF by LibreOffice: a real text layer with CJK fonts."""
    return soffice_convert(docx_path, "pdf", tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="session")
def doc_path(docx_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docx saved as Word 97 (.doc) by LibreOffice."""
    return soffice_convert(docx_path, "doc:MS Word 97", tmp_path_factory.mktemp("doc"))


@pytest.fixture
def path_without_antiword(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH with every usual program except antiword, to exercise the LibreOffice fallback."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        folder = Path(directory)
        if not folder.is_dir():
            continue
        for program in folder.iterdir():
            link = bin_dir / program.name
            if program.name != "antiword" and not link.exists() and not link.is_symlink():
                link.symlink_to(program)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert shutil.which("antiword") is None
    return bin_dir
