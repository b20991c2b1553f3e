"""Every rule in the rule files, on its own wrong and right example: the wrong one
must produce the rule's finding, the right one must not."""

from __future__ import annotations

from collections import Counter

import pytest

from drafting.proofread import (
    ProofDocument,
    RuleKind,
    document_from_text,
    load_rules,
    proofread,
    read_docx,
)
from drafting.proofread.rules import Rule
from tests.drafting.proofread.conftest import PassageSearcher
from tests.drafting.proofread.docx_variants import apply_layout, render_document

RULES = load_rules()


def _document(example, base: bytes | None) -> ProofDocument:
    if isinstance(example, str):
        return document_from_text(example)
    assert base is not None
    return read_docx(apply_layout(base, example))


@pytest.fixture(scope="module")
def base_docx() -> bytes:
    return render_document("湖北路街道2022年第三季度工作总结")


def _findings(rule: Rule, example, base: bytes):
    searcher = PassageSearcher([rule.source]) if rule.source else None
    report = proofread(_document(example, base), searcher=searcher, rules=[rule])
    return [f for f in report.findings if f.rule_id == rule.id]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_wrong_example_is_found(rule: Rule, base_docx: bytes) -> None:
    found = _findings(rule, rule.example_wrong, base_docx)
    assert found, f"{rule.id} missed its wrong example {rule.example_wrong!r}"
    for finding in found:
        assert finding.kind is rule.kind and finding.severity is rule.severity
        assert finding.message


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_right_example_is_clean(rule: Rule, base_docx: bytes) -> None:
    found = _findings(rule, rule.example_right, base_docx)
    assert not found, [(f.message, f.quote) for f in found]


def test_rule_files_cover_every_kind_and_thirty_wordings() -> None:
    kinds = Counter(rule.kind for rule in RULES)
    assert set(kinds) == set(RuleKind)
    assert kinds[RuleKind.WORDING] >= 30


def test_suggestions_of_text_rules_correct_the_wrong_example(base_docx: bytes) -> None:
    """Where a rule suggests a correction, applying it clears the finding."""
    for rule in RULES:
        if not isinstance(rule.example_wrong, str) or rule.kind is RuleKind.FIGURES:
            continue
        for finding in _findings(rule, rule.example_wrong, base_docx):
            if finding.suggestion is None or rule.kind is RuleKind.STRUCTURE:
                continue
            corrected = rule.example_wrong.replace(finding.quote, finding.suggestion, 1)
            again = [f for f in _findings(rule, corrected, base_docx) if f.quote == finding.quote]
            assert not again, (rule.id, corrected)
