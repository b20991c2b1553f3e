"""The seams between the packages are typed by one Protocol each, never ``object``."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

from answer import Generator, answer_question, stream_answer
from drafting import SectionRewriter, compose_draft
from retrieval import Embedder, KeywordIndex, KnowledgeBase, Searcher, VectorStore
from retrieval.evaluate import evaluate_cmrc, evaluate_qa

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("textcore", "ingest", "retrieval", "answer", "drafting", "server")


def _protocols() -> dict[str, set[str]]:
    """``module.Class → method names`` of every Protocol declared in the packages."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef):
                    continue
                bases = {ast.unparse(base) for base in node.bases}
                if bases & {"Protocol", "typing.Protocol"}:
                    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                    found[f"{module}.{node.name}"] = {
                        item.name
                        for item in node.body
                        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    }
    return found


def test_each_seam_is_declared_once() -> None:
    protocols = _protocols()
    searchers = sorted(name for name, methods in protocols.items() if "search" in methods)
    assert searchers == ["retrieval.types.Searcher"]
    stores = sorted(name for name, methods in protocols.items() if "query" in methods)
    assert stores == ["retrieval.types.KeywordIndex", "retrieval.types.VectorStore"]
    generators = sorted(name for name, methods in protocols.items() if "generate" in methods)
    assert generators == ["answer.generator.Generator"]


def test_answering_drafting_and_evaluation_take_the_protocols() -> None:
    for function in (answer_question, stream_answer):
        hints = typing.get_type_hints(function)
        assert hints["searcher"] is Searcher and hints["generator"] is Generator
    hints = typing.get_type_hints(compose_draft)
    assert hints["searcher"] is Searcher
    assert hints["generator"] == Generator | None
    assert hints["rewriter"] == SectionRewriter | None
    for function in (evaluate_qa, evaluate_cmrc):
        assert typing.get_type_hints(function)["searcher"] is Searcher


def test_the_knowledge_base_takes_the_store_and_index_protocols() -> None:
    hints = typing.get_type_hints(KnowledgeBase.__init__)
    assert hints["store"] is VectorStore
    assert hints["keyword_index"] is KeywordIndex
    assert hints["embedder"] is Embedder
