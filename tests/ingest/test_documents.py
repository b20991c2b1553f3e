"""read_document / load_bytes / iter_files: ids, hashes, determinism, file walking."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import ingest
from ingest import (
    SUPPORTED_SUFFIXES,
    file_sha256,
    iter_files,
    load_bytes,
    make_doc_id,
    read_document,
)


def _seed_path(corpus_dir: Path, seed: str) -> Path:
    (path,) = corpus_dir.glob(f"{seed}_*.txt")
    return path


def test_ids_and_hashes(corpus_dir: Path) -> None:
    path = _seed_path(corpus_dir, "004")
    doc = read_document(path)
    assert doc.source_key == str(path)
    assert doc.doc_id == make_doc_id(str(path))
    assert doc.content_hash == file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    keyed = read_document(path, source_key="corpus/004.txt")
    assert keyed.source_key == "corpus/004.txt"
    assert keyed.doc_id == make_doc_id("corpus/004.txt") != doc.doc_id
    assert keyed.content_hash == doc.content_hash


def test_doc_id_is_stable_and_distinct() -> None:
    assert make_doc_id("a/b.txt") == make_doc_id("a/b.txt")
    assert make_doc_id("a/b.txt") != make_doc_id("a/c.txt")
    assert all(c in "0123456789abcdef" for c in make_doc_id("社区 文件.docx"))


def test_reading_is_deterministic(corpus_dir: Path) -> None:
    path = _seed_path(corpus_dir, "003")
    assert read_document(path) == read_document(path)


def test_load_bytes_matches_read_document(corpus_dir: Path) -> None:
    path = _seed_path(corpus_dir, "002")
    from_file = read_document(path, source_key="k")
    from_bytes = load_bytes(path.read_bytes(), filename=path.name, source_key="k")
    assert from_bytes == from_file
    assert load_bytes(path.read_bytes(), filename=path.name).source_key == path.name


def test_chinese_file_names_with_spaces(tmp_path: Path, corpus_dir: Path) -> None:
    target = tmp_path / "党建 资料（2022年）" / "湖北路 街道 五星支部.txt"
    target.parent.mkdir()
    shutil.copy(_seed_path(corpus_dir, "004"), target)
    (found,) = iter_files([tmp_path])
    assert found == target
    doc = read_document(found)
    assert doc.source_key == str(target)
    assert doc.metadata.title == "湖北路街道以党建高质量发展引领“五星”支部创建工作"


def test_iter_files_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.docx",
        "sub/z.pdf",
        "sub/c.xlsx",
        ".hidden.txt",
        ".git/config",
        "sub/.cache/x.txt",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a.docx", "b.txt", "sub/c.xlsx", "sub/z.pdf"]
    assert list(iter_files([tmp_path / "b.txt", tmp_path / "missing.txt"])) == [tmp_path / "b.txt"]


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps"} <= SUPPORTED_SUFFIXES
    assert ".xlsx" not in SUPPORTED_SUFFIXES


def test_public_api_is_exported() -> None:
    for name in [
        "read_document",
        "load_bytes",
        "make_doc_id",
        "file_sha256",
        "iter_files",
        "SUPPORTED_SUFFIXES",
        "clean_text",
        "clean_html",
        "extract_metadata",
        "find_regions",
        "decode_text",
    ]:
        assert name in ingest.__all__
        assert hasattr(ingest, name)
