"""The policy question sets read as QA rows, and every gold passage is the statute's own text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answer.evaluate import load_answer_items

ROOT = Path(__file__).resolve().parent.parent
POLICY_DIR = ROOT / "corpus" / "policy"
POLICY_B_DIR = ROOT / "tests" / "data" / "corpus-policy-b"
POLICY_SETS = sorted((ROOT / "tests" / "data").glob("qa_policy_*.jsonl"))


def _corpus(path: Path) -> Path:
    return POLICY_B_DIR if path.stem.startswith("qa_policy_b_") else POLICY_DIR


def _as_list(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("path", POLICY_SETS, ids=lambda path: path.stem)
def test_policy_set_rows_and_gold_passages(path: Path) -> None:
    items = load_answer_items(path)
    ids = [item.id for item in items]
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate ids"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        golds, sources = _as_list(row.get("gold_passage")), _as_list(row.get("source"))
        if row.get("type") == "unanswerable":
            assert not golds, f"{path.name} {row['id']}: an unanswerable row has no gold"
            continue
        if len(sources) == 1:
            sources = sources * len(golds)
        assert len(sources) == len(golds), f"{path.name} {row['id']}: one source per gold"
        for source, gold in zip(sources, golds, strict=True):
            text = (_corpus(path) / source).read_text(encoding="utf-8")
            assert gold in text, f"{path.name} {row['id']}: not verbatim in {source}: {gold}"


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("qa_policy_holdout", "ph"),
        ("qa_policy_holdout2", "pn"),
        ("qa_policy_holdout3", "pk"),
        ("qa_policy_holdout4", "pq"),
        ("qa_policy_holdout5", "pz"),
        ("qa_policy_holdout6", "pv"),
        ("qa_policy_holdout7", "pw"),
        ("qa_policy_holdout8", "ps"),
        ("qa_policy_holdout9", "pt"),
        ("qa_policy_holdout10", "pr"),
        ("qa_policy_fresh", "pf"),
        ("qa_policy_b_dev", "bd"),
        ("qa_policy_b_holdout", "bh"),
        ("qa_policy_b_extra", "bx"),
    ],
)
def test_written_sets_keep_the_dev_mix(name: str, prefix: str) -> None:
    path = ROOT / "tests" / "data" / f"{name}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    types = [row["type"] for row in rows]
    assert sorted(row["id"] for row in rows) == [f"{prefix}{n:02d}" for n in range(1, 31)]
    assert (types.count("fact"), types.count("procedure"), types.count("unanswerable")) == (
        18,
        7,
        5,
    )
    covered = {_as_list(row["source"])[0] for row in rows if row["source"]}
    assert covered == {source.name for source in _corpus(path).glob("*.md")}
