"""The policy question sets read as QA rows, and every gold passage is the statute's own text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answer.evaluate import load_answer_items

ROOT = Path(__file__).resolve().parent.parent
POLICY_DIR = ROOT / "corpus" / "policy"
POLICY_SETS = sorted((ROOT / "tests" / "data").glob("qa_policy_*.jsonl"))


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
            text = (POLICY_DIR / source).read_text(encoding="utf-8")
            assert gold in text, f"{path.name} {row['id']}: not verbatim in {source}: {gold}"


def test_holdout_set_keeps_the_dev_mix() -> None:
    rows = [
        json.loads(line)
        for line in (ROOT / "tests" / "data" / "qa_policy_holdout.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    types = [row["type"] for row in rows]
    assert [row["id"] for row in rows] == [f"ph{n:02d}" for n in range(1, 31)]
    assert (types.count("fact"), types.count("procedure"), types.count("unanswerable")) == (
        18,
        7,
        5,
    )
    covered = {_as_list(row["source"])[0] for row in rows if row["source"]}
    assert covered == {path.name for path in POLICY_DIR.glob("*.md")}
