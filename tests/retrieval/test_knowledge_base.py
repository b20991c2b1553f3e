"""KnowledgeBase: incremental, crash-safe ingest into real Chroma + BM25.

Most tests use the real loaders and chunker with the hashing embedder (fast);
the last ones use the session's real-model knowledge base over corpus/.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from retrieval import (
    Catalog,
    DocumentRecord,
    HybridSearcher,
    IngestProgress,
    KnowledgeBase,
    SearchFilters,
)
from tests.conftest import CORPUS_DIR, ROOT
from tests.fakes import HashingEmbedder


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(CORPUS_DIR, target)
    return target


def open_kb(data_dir: Path, **kwargs) -> KnowledgeBase:
    return KnowledgeBase.open(data_dir=data_dir, embedder=HashingEmbedder(), **kwargs)


def snapshot(kb: KnowledgeBase) -> dict[str, str]:
    """chunk id → content hash + text of everything Chroma holds."""
    return {s.chunk.chunk_id: s.chunk.content_hash + s.chunk.text for s in kb.store.iter_chunks()}


def assert_consistent(kb: KnowledgeBase) -> None:
    report = kb.check()
    assert report.ok, report
    assert kb.keyword_index.chunk_ids() == set(kb.store.all_chunk_ids())
    for record in kb.documents():
        chunks = kb.chunks(record.doc_id)
        assert [c.chunk.index for c in chunks] == list(range(record.chunk_count))
        assert all(c.doc_chunks == record.chunk_count for c in chunks)


def test_ingest_then_rerun_is_unchanged(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    seen = []
    first = kb.ingest([docs_dir], progress=seen.append)
    assert (first.added, first.failed, first.unchanged) == (5, 0, 0)
    assert first.chunks == kb.chunk_count() == len(kb.keyword_index) > 5
    assert [p.files_done for p in seen] == [1, 2, 3, 4, 5]
    assert {p.files_total for p in seen} == {5}
    assert seen[-1].chunks_done == first.chunks
    assert len(kb.documents()) == 5
    assert all(r.title for r in kb.documents())
    assert_consistent(kb)

    again = open_kb(tmp_path / "data").ingest([docs_dir])
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 5, 0)


def test_changed_file_replaces_its_chunks(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    kb.ingest([docs_dir])
    path = sorted(docs_dir.glob("*.txt"))[1]
    text = path.read_text(encoding="utf-8")
    old_ids = {c.chunk.chunk_id for c in kb.chunks(kb.ingest([path]).outcomes[0].doc_id)}
    path.write_text(
        text[: len(text) // 3] + "\n新增内容：社区食堂开业，首日接待老人八十六人次。\n",
        encoding="utf-8",
    )

    report = kb.ingest([docs_dir])
    assert (report.updated, report.unchanged, report.added) == (1, 4, 0)
    (updated,) = [o for o in report.outcomes if o.status == "updated"]
    new_ids = {c.chunk.chunk_id for c in kb.chunks(updated.doc_id)}
    assert len(new_ids) == updated.chunks < len(old_ids)
    assert not (old_ids - new_ids) & set(kb.store.all_chunk_ids())
    assert kb.document(updated.doc_id).chunk_count == updated.chunks
    hits = kb.keyword_index.query("社区食堂开业", k=1)
    assert hits and hits[0][0] in new_ids
    assert_consistent(kb)


def test_remove(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    report = kb.ingest([docs_dir])
    doc_id = report.outcomes[0].doc_id
    assert kb.remove(doc_id) is True
    assert kb.document(doc_id) is None and kb.chunks(doc_id) == []
    assert not any(c.startswith(doc_id) for c in kb.keyword_index.chunk_ids())
    assert kb.remove(doc_id) is False
    assert len(open_kb(tmp_path / "data").documents()) == 4  # persisted
    assert_consistent(kb)


def test_broken_files_are_reported_and_the_rest_indexed(tmp_path: Path, docs_dir: Path) -> None:
    (docs_dir / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (docs_dir / "empty.txt").write_bytes(b"")
    (docs_dir / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    kb = open_kb(tmp_path / "data")
    report = kb.ingest([docs_dir])
    failed = {Path(o.source_key).name: o.reason for o in report.outcomes if o.status == "failed"}
    assert set(failed) == {"broken.docx", "empty.txt", "picture.png"}
    assert all(reason for reason in failed.values())
    assert report.added == 5
    assert_consistent(kb)


def test_unexpected_errors_are_contained(tmp_path: Path, docs_dir: Path, monkeypatch) -> None:
    import ingest

    real = ingest.read_document

    def flaky(path, **kwargs):
        if path.name.startswith("002"):
            raise RuntimeError("parser exploded")
        return real(path, **kwargs)

    monkeypatch.setattr(ingest, "read_document", flaky)
    report = open_kb(tmp_path / "data").ingest([docs_dir])
    (failed,) = [o for o in report.outcomes if o.status == "failed"]
    assert failed.reason == "unexpected error: RuntimeError: parser exploded"
    assert report.added == 4


def test_prune_removes_documents_whose_file_is_gone(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    other = tmp_path / "other.txt"
    other.write_text("另一份材料：街道开展消防安全检查。", encoding="utf-8")
    kb.ingest([docs_dir, other])
    gone = sorted(docs_dir.glob("*.txt"))[0]
    gone.unlink()
    other.unlink()  # not under a folder given to the next run: prune leaves it alone

    kept = kb.ingest([docs_dir])
    assert kept.unchanged == 4 and len(kb.documents()) == 6

    pruned = kb.ingest([docs_dir], prune=True)
    removed = [o for o in pruned.outcomes if o.status == "removed"]
    assert [Path(o.source_key).name for o in removed] == [gone.name]
    assert len(kb.documents()) == 5
    assert any(r.source_key == str(other) for r in kb.documents())
    assert_consistent(kb)


def test_upload_bytes(tmp_path: Path) -> None:
    kb = open_kb(tmp_path / "data")
    data = (CORPUS_DIR / sorted(os.listdir(CORPUS_DIR))[0]).read_bytes()
    assert kb.ingest_bytes([("上传材料.txt", data)]).added == 1
    assert kb.ingest_bytes([("上传材料.txt", data)]).unchanged == 1
    changed = kb.ingest_bytes([("上传材料.txt", data + "补充一句。".encode())])
    assert changed.updated == 1
    assert [r.source_key for r in kb.documents()] == ["上传材料.txt"]


def test_a_document_cut_off_mid_write_is_redone(
    tmp_path: Path, docs_dir: Path, monkeypatch
) -> None:
    for path in sorted(docs_dir.glob("*.txt"))[3:]:
        path.unlink()
    clean = open_kb(tmp_path / "clean")
    clean.ingest([docs_dir])

    kb = open_kb(tmp_path / "data", embed_batch=8)
    real_upsert = kb.store.upsert
    calls = {"n": 0}

    def dying_upsert(items, vectors):
        calls["n"] += 1
        if calls["n"] == 3:  # write half of this batch, then "crash"
            real_upsert(items[: len(items) // 2], vectors[: len(items) // 2])
            raise KeyboardInterrupt
        real_upsert(items, vectors)

    monkeypatch.setattr(kb.store, "upsert", dying_upsert)
    with pytest.raises(KeyboardInterrupt):
        kb.ingest([docs_dir])

    reopened = open_kb(tmp_path / "data")
    before = reopened.check()
    assert before.incomplete_documents  # the half-written document is seen as such
    report = reopened.ingest([docs_dir])
    assert report.failed == 0 and report.added + report.unchanged == 3
    assert snapshot(reopened) == snapshot(clean)
    assert_consistent(reopened)


class _FailingEmbedder(HashingEmbedder):
    """Embeds ``good_calls`` batches, then fails like a lost remote endpoint."""

    def __init__(self, good_calls: int) -> None:
        super().__init__()
        self.good_calls = good_calls
        self.calls = 0

    def embed_passages(self, texts):
        self.calls += 1
        if self.calls > self.good_calls:
            raise ConnectionError("embedding service went away")
        return super().embed_passages(texts)


def test_an_embedder_failure_stops_the_run_and_a_rerun_converges(tmp_path: Path) -> None:
    """Batches are embedded and written in worker threads: the error still reaches the
    caller, no batch after the failed one is written, and a re-run finishes the job."""
    docs = tmp_path / "docs"
    synthetic_corpus(docs, 30)
    clean = open_kb(tmp_path / "clean")
    clean.ingest([docs])

    kb = KnowledgeBase.open(
        data_dir=tmp_path / "data", embedder=_FailingEmbedder(good_calls=2), embed_batch=6
    )
    with pytest.raises(ConnectionError, match="went away"):
        kb.ingest([docs])
    written = {r.doc_id for r in kb.documents()}
    assert 0 < len(written) < 30
    assert kb.check().ok

    reopened = open_kb(tmp_path / "data", embed_batch=6)
    report = reopened.ingest([docs])
    assert report.failed == 0
    assert report.unchanged == len(written) and report.added == 30 - len(written)
    assert snapshot(reopened) == snapshot(clean)
    assert_consistent(reopened)


_KILLED_INGEST = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from retrieval import KnowledgeBase
    from tests.fakes import HashingEmbedder

    class SlowEmbedder(HashingEmbedder):
        def embed_passages(self, texts):
            time.sleep(0.15)
            return super().embed_passages(texts)

    kb = KnowledgeBase.open(data_dir=Path(sys.argv[1]), embedder=SlowEmbedder(), embed_batch=6)
    kb.ingest([Path(sys.argv[2])], progress=lambda p: print(p.files_done, flush=True))
    """
)


def synthetic_corpus(folder: Path, files: int) -> None:
    sentences = [
        s + "。"
        for path in sorted(CORPUS_DIR.glob("*.txt"))
        for s in path.read_text(encoding="utf-8").replace("\n", "").split("。")
        if len(s) > 8
    ]
    folder.mkdir()
    for i in range(files):
        picked = [sentences[(i * 7 + j * 3) % len(sentences)] for j in range(14)]
        (folder / f"材料{i:03d}.txt").write_text(
            f"第{i}号材料\n" + "".join(picked), encoding="utf-8"
        )


def test_kill_9_mid_ingest_then_rerun_converges(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    synthetic_corpus(docs, 12)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_INGEST, str(tmp_path / "data"), str(docs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(3):  # let a few flushes land, then kill without warning
            assert proc.stdout.readline(), "the ingest process ended early"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    resumed = open_kb(tmp_path / "data")
    assert resumed.chunk_count() > 0
    report = resumed.ingest([docs])
    assert report.unchanged >= 3 and report.failed == 0
    clean = open_kb(tmp_path / "clean")
    clean.ingest([docs])
    assert snapshot(resumed) == snapshot(clean)
    assert_consistent(resumed)


def test_bm25_out_of_step_is_detected_and_repaired(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    report = kb.ingest([docs_dir])
    first, second = report.outcomes[0].doc_id, report.outcomes[1].doc_id
    kb.keyword_index.delete_document(first)
    stray = kb.chunks(second)[0]
    ghost = replace(stray, chunk=replace(stray.chunk, chunk_id="ghost:00000", doc_id="ghost"))
    kb.keyword_index.add([replace(ghost, title="幽灵文档")])  # in BM25 only
    lost = kb.chunks(second)[-1].chunk.chunk_id
    kb.store.delete_chunks([lost])  # second is now incomplete

    found = kb.check()
    assert not found.ok
    assert found.missing_in_bm25 and all(c.startswith(first) for c in found.missing_in_bm25)
    assert set(found.extra_in_bm25) == {"ghost:00000", lost}
    assert found.incomplete_documents == (second,)

    fixed = kb.check(repair=True)
    assert fixed.repaired
    assert kb.check().ok
    assert kb.document(second) is None
    assert not any(c == "ghost:00000" for c, _ in kb.keyword_index.query("幽灵文档", k=50))
    assert kb.ingest([docs_dir]).added == 1  # the incomplete document comes back
    assert_consistent(kb)


def test_open_brings_a_stale_bm25_file_in_step(tmp_path: Path, docs_dir: Path) -> None:
    data = tmp_path / "data"
    kb = open_kb(data)
    kb.ingest([docs_dir])
    (bm25_file,) = (data / "bm25").iterdir()
    old_copy = tmp_path / "old.npz"
    shutil.copy(bm25_file, old_copy)
    path = sorted(docs_dir.glob("*.txt"))[0]
    path.write_text(
        path.read_text(encoding="utf-8") + "\n补充：辖区新建口袋公园三处。\n", encoding="utf-8"
    )
    assert kb.ingest([docs_dir]).updated == 1

    shutil.copy(old_copy, bm25_file)  # as if the process died before saving BM25
    reopened = open_kb(data)
    assert reopened.check().ok
    assert reopened.keyword_index.query("口袋公园", k=1)

    bm25_file.unlink()
    assert open_kb(data).check().ok


def test_a_different_embedding_dimension_is_refused(tmp_path: Path, docs_dir: Path) -> None:
    open_kb(tmp_path / "data").ingest([sorted(docs_dir.glob("*.txt"))[0]])
    with pytest.raises(ValueError, match="dimensional"):
        KnowledgeBase.open(data_dir=tmp_path / "data", embedder=HashingEmbedder(dimension=64))


# -- the same bytes under another source key ----------------------------------------


def chunk_texts(kb: KnowledgeBase) -> list[str]:
    return [s.chunk.text for s in kb.store.iter_chunks()]


def test_a_copied_folder_is_not_indexed_twice(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    first = kb.ingest([docs_dir])
    indexed = {Path(o.source_key).name: o for o in first.outcomes}
    copy = tmp_path / "副本"
    shutil.copytree(docs_dir, copy)
    chunks = kb.chunk_count()

    report = kb.ingest([copy])
    assert (report.duplicates, report.added, report.chunks) == (5, 0, 0)
    for outcome in report.outcomes:
        original = indexed[Path(outcome.source_key).name]
        assert outcome.status == "duplicate" and outcome.chunks == 0
        assert outcome.doc_id == original.doc_id
        assert outcome.reason == f"same content as {original.source_key}, already indexed"
    assert kb.chunk_count() == chunks and len(kb.documents()) == 5

    doc_id = first.outcomes[2].doc_id
    assert doc_id is not None
    hits = HybridSearcher(kb).search(kb.chunks(doc_id)[1].chunk.text, k=5)
    assert hits[0].doc_id == doc_id
    assert len({h.text for h in hits}) == len(hits)  # no passage comes back twice

    both = kb.ingest([docs_dir, copy])  # a re-run over both stays as it is
    assert (both.unchanged, both.duplicates, both.chunks) == (5, 5, 0)
    assert_consistent(kb)


def test_of_two_identical_new_files_the_first_is_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    data = sorted(CORPUS_DIR.glob("*.txt"))[0].read_bytes()
    (folder / "a.txt").write_bytes(data)
    (folder / "b.txt").write_bytes(data)
    (folder / "c.txt").write_text("另一份材料：街道开展消防安全检查。", encoding="utf-8")
    kb = open_kb(tmp_path / "data")
    seen: list[IngestProgress] = []

    report = kb.ingest([folder], progress=seen.append)
    status = {Path(o.source_key).name: o.status for o in report.outcomes}
    assert status == {"a.txt": "added", "b.txt": "duplicate", "c.txt": "added"}
    (duplicate,) = [o for o in report.outcomes if o.status == "duplicate"]
    (a,) = [o for o in report.outcomes if o.source_key.endswith("a.txt")]
    assert duplicate.doc_id == a.doc_id and str(folder / "a.txt") in (duplicate.reason or "")
    assert [r.source_key for r in kb.documents()] == [str(folder / "a.txt"), str(folder / "c.txt")]
    assert seen[-1].files_done == seen[-1].files_total == 3
    assert len(chunk_texts(kb)) == len(set(chunk_texts(kb)))

    again = kb.ingest([folder])
    assert (again.unchanged, again.duplicates, again.chunks) == (2, 1, 0)
    assert_consistent(kb)


def test_a_moved_file_replaces_its_old_document(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    kb.ingest([docs_dir])
    old = sorted(docs_dir.glob("*.txt"))[1]
    old_id = kb.ingest([old]).outcomes[0].doc_id
    assert old_id is not None
    moved = tmp_path / "归档" / "社区简报.txt"
    moved.parent.mkdir()
    old.rename(moved)
    seen: list[IngestProgress] = []

    report = kb.ingest([moved.parent], progress=seen.append)
    assert [(o.source_key, o.status) for o in report.outcomes] == [
        (str(moved), "added"),
        (str(old), "removed"),
    ]
    assert report.outcomes[1].doc_id == old_id
    assert kb.document(old_id) is None and kb.chunks(old_id) == []
    assert [r.source_key for r in kb.documents()].count(str(moved)) == 1
    assert len(kb.documents()) == 5
    assert len(chunk_texts(kb)) == len(set(chunk_texts(kb)))
    assert seen[-1].files_done == seen[-1].files_total == 2
    assert_consistent(kb)

    # Renamed inside a folder indexed with prune: the old document is removed once.
    renamed = docs_dir / "改名.txt"
    sorted(docs_dir.glob("0*.txt"))[0].rename(renamed)
    pruned = kb.ingest([docs_dir], prune=True)
    assert (pruned.added, pruned.unchanged, pruned.duplicates) == (1, 3, 0)
    assert len([o for o in pruned.outcomes if o.status == "removed"]) == 1
    assert len(kb.documents()) == 5
    assert len(chunk_texts(kb)) == len(set(chunk_texts(kb)))
    assert_consistent(kb)


def test_a_move_cut_off_mid_write_converges(tmp_path: Path, docs_dir: Path, monkeypatch) -> None:
    kb = open_kb(tmp_path / "data")
    kb.ingest([docs_dir])
    old = sorted(docs_dir.glob("*.txt"))[0]
    moved = tmp_path / "归档" / old.name
    moved.parent.mkdir()
    old.rename(moved)

    def dying_upsert(items, vectors):
        raise KeyboardInterrupt  # killed after the old document went, before the new one

    monkeypatch.setattr(kb.store, "upsert", dying_upsert)
    with pytest.raises(KeyboardInterrupt):
        kb.ingest([moved.parent])

    reopened = open_kb(tmp_path / "data")
    report = reopened.ingest([moved.parent])
    assert [(o.source_key, o.status) for o in report.outcomes] == [(str(moved), "added")]
    assert sorted(Path(r.source_key).parent.name for r in reopened.documents()) == [
        "docs",
        "docs",
        "docs",
        "docs",
        "归档",
    ]
    assert len(chunk_texts(reopened)) == len(set(chunk_texts(reopened)))
    assert_consistent(reopened)


def test_a_file_edited_into_a_copy_of_another_leaves_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    first, second = sorted(CORPUS_DIR.glob("*.txt"))[:2]
    shutil.copy(first, folder / "a.txt")
    shutil.copy(second, folder / "b.txt")
    kb = open_kb(tmp_path / "data")
    kb.ingest([folder])
    shutil.copy(first, folder / "b.txt")

    report = kb.ingest([folder])
    (b,) = [o for o in report.outcomes if o.source_key.endswith("b.txt")]
    assert b.status == "duplicate" and str(folder / "a.txt") in (b.reason or "")
    assert [r.source_key for r in kb.documents()] == [str(folder / "a.txt")]
    assert_consistent(kb)


def test_an_edited_copy_is_indexed(tmp_path: Path, docs_dir: Path) -> None:
    kb = open_kb(tmp_path / "data")
    kb.ingest([docs_dir])
    copy = tmp_path / "副本"
    shutil.copytree(docs_dir, copy)
    edited = sorted(copy.glob("*.txt"))[3]
    text = edited.read_text(encoding="utf-8")
    assert "生活场所。" in text
    edited.write_text(
        text.replace("生活场所。", "生活场所。辖区新建口袋公园三处。", 1), encoding="utf-8"
    )

    report = kb.ingest([copy])
    assert (report.added, report.duplicates) == (1, 4)
    (added,) = [o for o in report.outcomes if o.status == "added"]
    assert added.source_key == str(edited) and added.chunks > 0 and added.doc_id is not None
    assert len(kb.documents()) == 6
    assert any("口袋公园" in c.chunk.text for c in kb.chunks(added.doc_id))
    assert_consistent(kb)


def test_the_same_upload_under_another_name_is_a_duplicate(tmp_path: Path) -> None:
    kb = open_kb(tmp_path / "data")
    data = sorted(CORPUS_DIR.glob("*.txt"))[0].read_bytes()
    first = kb.ingest_bytes([("通知.txt", data)])
    again = kb.ingest_bytes([("通知(1).txt", data)])
    (outcome,) = again.outcomes
    assert (outcome.status, outcome.chunks) == ("duplicate", 0)
    assert outcome.doc_id == first.outcomes[0].doc_id
    assert outcome.reason == "same content as 通知.txt, already indexed"
    assert [r.source_key for r in kb.documents()] == ["通知.txt"]

    both = open_kb(tmp_path / "other").ingest_bytes([("甲.txt", data), ("乙.txt", data)])
    outcomes = {o.source_key: o for o in both.outcomes}
    assert (outcomes["甲.txt"].status, outcomes["乙.txt"].status) == ("added", "duplicate")
    assert both.duplicates == 1 and outcomes["乙.txt"].doc_id == outcomes["甲.txt"].doc_id


# -- catalog ---------------------------------------------------------------------


def record(doc_id: str, **fields) -> DocumentRecord:
    base = {"source_key": doc_id, "title": doc_id, "content_hash": "h", "chunk_count": 1}
    return DocumentRecord(doc_id=doc_id, **{**base, **fields})


def test_catalog_resolves_filters() -> None:
    catalog = Catalog()
    catalog.put(
        record("a", regions=("涧西区", "湖北路街道"), date="2022-09-14", doc_type="news"),
        expected_chunks=1,
    )
    catalog.put(
        record("b", regions=("西工区",), date="2023-05", doc_type="report"), expected_chunks=1
    )
    catalog.put(record("c", regions=(), date=None, doc_type="news"), expected_chunks=2)
    assert catalog.resolve(None) is None and catalog.resolve(SearchFilters()) is None
    assert catalog.resolve(SearchFilters(regions=("涧西",))) == {"a"}
    assert catalog.resolve(SearchFilters(regions=("湖北路街道", "西工区"))) == {"a", "b"}
    assert catalog.resolve(SearchFilters(doc_types=("news",))) == {"a", "c"}
    assert catalog.resolve(SearchFilters(date_from="2023-01-01")) == {"b"}
    assert catalog.resolve(SearchFilters(date_from="2023-05-20", date_to="2023-06")) == {"b"}
    assert catalog.resolve(SearchFilters(date_to="2022-12")) == {"a"}
    assert catalog.resolve(SearchFilters(doc_ids=("a", "c"), doc_types=("news",))) == {"a", "c"}
    assert catalog.resolve(SearchFilters(regions=("北京",))) == set()
    assert catalog.incomplete() == ["c"]


# -- the real model ----------------------------------------------------------------


def test_corpus_knowledge_base_with_the_real_model(corpus_kb: KnowledgeBase) -> None:
    assert len(corpus_kb.documents()) == 5
    assert corpus_kb.check().ok
    rerun = corpus_kb.ingest([CORPUS_DIR])
    assert rerun.unchanged == 5 and rerun.chunks == 0

    item = corpus_kb.chunks(corpus_kb.documents()[2].doc_id)[1]
    vector = corpus_kb.embedder.embed_passages([item.chunk.text])[0]
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    (best, _), *_ = corpus_kb.store.query(
        corpus_kb.embedder.embed_queries([item.chunk.text])[0], k=3
    )
    assert best.split(":")[0] == item.chunk.doc_id

    question = corpus_kb.embedder.embed_queries(["湖北路街道如何开展五星支部创建？"])[0]
    top_doc = corpus_kb.store.query(question, k=1)[0][0].split(":")[0]
    assert "五星" in corpus_kb.document(top_doc).title
