"""The LibreOffice runner: private profiles, a timeout kills every process it started."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from docx import Document

from ingest import (
    SofficeFailedError,
    SofficeMissingError,
    SofficeTimeoutError,
    convert_with_soffice,
    find_soffice,
)

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")


def _processes_mentioning(marker: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "environ"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or ())
            home = (proc.info["environ"] or {}).get("HOME", "")
        except (psutil.Error, TypeError):
            continue
        if marker in cmdline or marker in home:
            found.append(proc)
    return found


def _fake_soffice(tmp_path: Path) -> Path:
    """A launcher that, like ``soffice``, starts a child that does the work (here: sleeps)."""
    script = tmp_path / "fake-soffice"
    child = "import time; time.sleep(300)"
    script.write_text(
        f"#!{sys.executable}\n"
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', {child!r}, 'fake-soffice.bin'])\n"
        "import time; time.sleep(300)\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def test_timeout_kills_the_launcher_and_its_children(tmp_path: Path) -> None:
    source = tmp_path / "a.doc"
    source.write_bytes(b"x")
    with pytest.raises(SofficeTimeoutError, match="longer than"):
        convert_with_soffice(
            source,
            to="txt",
            out_dir=tmp_path / "out",
            timeout=1.5,
            soffice=str(_fake_soffice(tmp_path)),
        )
    time.sleep(0.2)
    assert not [p for p in _processes_mentioning("fake-soffice") if p.status() != "zombie"]


@needs_soffice
@pytest.mark.slow
def test_real_timeout_leaves_no_soffice_bin_behind(tmp_path: Path) -> None:
    doc = Document()
    for i in range(3000):  # minutes of work for LibreOffice even on a fast machine
        doc.add_paragraph(f"第{i}段：社区网格化管理工作情况。" * 20)
    source = tmp_path / "long.docx"
    doc.save(source)
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    seen: set[str] = set()
    stop = threading.Event()

    def watch() -> None:  # proves the test reached the point where soffice.bin ran
        while not stop.is_set():
            seen.update(p.name() for p in _processes_mentioning(str(profiles)))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with pytest.raises(SofficeTimeoutError):
            # Past LibreOffice's start-up (soffice.bin running), short of a finished conversion.
            convert_with_soffice(
                source, to="pdf", out_dir=tmp_path / "out", timeout=3.0, profile_root=profiles
            )
    finally:
        stop.set()
        watcher.join()
    assert "soffice.bin" in seen
    time.sleep(0.2)
    left = [p for p in _processes_mentioning(str(profiles)) if p.status() != "zombie"]
    assert not left, [p.cmdline() for p in left]
    assert list(profiles.iterdir()) == []  # the profile of a killed run is not kept


@needs_soffice
@pytest.mark.slow
def test_converts_and_reuses_a_profile(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("湖北路街道开展重阳节敬老活动。")
    source = tmp_path / "敬老.docx"
    doc.save(source)
    first = convert_with_soffice(
        source, to="txt:Text (encoded):UTF8", out_dir=tmp_path / "a", timeout=120
    )
    assert first == tmp_path / "a" / "敬老.txt"
    assert "重阳节敬老" in first.read_text(encoding="utf-8-sig")
    second = convert_with_soffice(source, to="pdf", out_dir=tmp_path / "b", timeout=120)
    assert second.read_bytes().startswith(b"%PDF")


def test_missing_binary_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "a.doc"
    source.write_bytes(b"x")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SofficeMissingError, match="not installed"):
        convert_with_soffice(source, to="txt", out_dir=tmp_path, timeout=5)
    with pytest.raises(SofficeMissingError, match="cannot start"):
        convert_with_soffice(
            source, to="txt", out_dir=tmp_path, timeout=5, soffice=str(tmp_path / "nope")
        )


def test_a_failed_conversion_says_why(tmp_path: Path) -> None:
    script = tmp_path / "failing-soffice"
    script.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    script.chmod(0o755)
    source = tmp_path / "a.doc"
    source.write_bytes(b"x")
    with pytest.raises(SofficeFailedError, match="could not be loaded") as info:
        convert_with_soffice(
            source, to="txt", out_dir=tmp_path / "out", timeout=5, soffice=str(script)
        )
    assert info.value.returncode == 1


def test_the_children_run_in_their_own_process_group(tmp_path: Path) -> None:
    script = tmp_path / "group-soffice"
    report = tmp_path / "pgid"
    script.write_text(
        f"#!{sys.executable}\nimport os, pathlib, sys\n"
        f"pathlib.Path({str(report)!r}).write_text(str(os.getpgid(0)))\n"
        "out = sys.argv[sys.argv.index('--outdir') + 1]\n"
        "pathlib.Path(out, 'a.txt').write_text('ok')\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    source = tmp_path / "a.doc"
    source.write_bytes(b"x")
    out = convert_with_soffice(
        source, to="txt", out_dir=tmp_path / "o", timeout=10, soffice=str(script)
    )
    assert out.read_text() == "ok"
    assert int(report.read_text()) != os.getpgid(0)


def test_profiles_are_never_shared_at_once_reused_after_and_dropped_after_a_failure() -> None:
    from ingest.soffice import _ProfilePool

    pool = _ProfilePool()
    with pool.lend() as first, pool.lend() as second:
        assert first != second  # two conversions at once: two profiles
    with pool.lend() as again:
        assert again in (first, second)  # a finished conversion's profile is reused
    with pytest.raises(SofficeTimeoutError), pool.lend() as broken:
        raise SofficeTimeoutError("killed")
    assert not broken.exists()  # a killed run's profile may be half-written: thrown away
    with pool.lend() as fresh:
        assert fresh != broken
