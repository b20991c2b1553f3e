"""``kb ingest / documents / check / remove`` end to end: real loaders, real model,
real Chroma in a temp folder; each command opens the knowledge base afresh."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import cli
from server.services import Services
from server.settings import Settings
from tests.conftest import CORPUS_DIR


@pytest.fixture
def run_kb(tmp_path: Path, real_embedder, monkeypatch):
    """Invoke ``kb`` with its data in ``tmp_path``; the session's loaded model is reused
    so each command does not load it again (everything else is built per command)."""

    def services(ctx) -> Services:
        return Services(Settings(data_dir=tmp_path / "data"), embedder=real_embedder)

    monkeypatch.setattr("server.commands.index.get_services", services)

    def run(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in sorted(CORPUS_DIR.glob("*.txt"))[3:]:  # the two shortest articles
        shutil.copy(path, folder / path.name)
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04 not a real archive")
    return folder


def summary_counts(stdout: str) -> dict[str, str]:
    """The rows of the summary table: status label → number of files."""
    rows = [line.split("│") for line in stdout.splitlines() if line.count("│") == 3]
    return {cells[1].strip(): cells[2].strip() for cells in rows}


def test_ingest_list_check_remove(run_kb, docs: Path) -> None:
    first = run_kb("ingest", str(docs))
    assert first.exit_code == 0, first.output
    assert "[3/3]" in first.stderr  # plain progress lines when stderr is not a terminal
    assert "损坏.docx" in first.stdout  # the failed file is listed with its reason
    summary = summary_counts(first.stdout)
    assert summary["added 新增"] == "2" and summary["failed 失败"] == "1"

    again = run_kb("ingest", str(docs))
    summary = summary_counts(again.stdout)
    assert summary["unchanged 未变"] == "2" and summary["added 新增"] == "0"
    assert "duplicate 重复" not in summary  # listed only when there are some

    copy = shutil.copytree(docs, docs.parent / "副本")
    copied = run_kb("ingest", str(copy))
    assert copied.exit_code == 0, copied.output
    summary = summary_counts(copied.stdout)
    assert summary["duplicate 重复"] == "2" and summary["added 新增"] == "0"
    for path in sorted(docs.glob("*.txt")):  # each copy is listed with the file it repeats
        assert f"{copy / path.name}: same content as {path}, already indexed" in copied.stdout

    listed = run_kb("documents", "--json")
    records = json.loads(listed.stdout)
    assert len(records) == 2
    assert all(r["title"] and r["chunk_count"] > 0 for r in records)
    table = run_kb("documents")
    assert records[0]["doc_id"] in table.stdout

    check = run_kb("check")
    assert check.exit_code == 0 and "ok" in check.stdout

    removed = run_kb("remove", records[0]["doc_id"])
    assert removed.exit_code == 0 and f"removed {records[0]['doc_id']}" in removed.stdout
    assert len(json.loads(run_kb("documents", "--json").stdout)) == 1
    unknown = run_kb("remove", "0000000000000000")
    assert unknown.exit_code != 0 and "0000000000000000" in unknown.output


def test_exit_code_is_non_zero_only_when_every_file_failed(run_kb, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.pdf").write_bytes(b"%PDF-1.4 truncated")
    (broken / "b.xyz").write_text("unsupported", encoding="utf-8")
    result = run_kb("ingest", str(broken))
    assert result.exit_code != 0
    assert "a.pdf" in result.stdout and "b.xyz" in result.stdout

    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_kb("ingest", str(empty)).exit_code == 0


def test_prune_and_a_missing_path(run_kb, docs: Path) -> None:
    run_kb("ingest", str(docs))
    victim = sorted(docs.glob("*.txt"))[0]
    victim.unlink()
    pruned = run_kb("ingest", "--prune", str(docs))
    assert pruned.exit_code == 0
    assert "removed 移除" in pruned.stdout
    assert [
        Path(r["source_key"]).name for r in json.loads(run_kb("documents", "--json").stdout)
    ] == [sorted(docs.glob("*.txt"))[0].name]
    missing = run_kb("ingest", str(docs / "nope"))
    assert missing.exit_code == 2  # click refuses a path that does not exist
