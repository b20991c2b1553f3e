"""The Chinese-text core: the one place that says what a sentence end, a heading number,
a bigram, a place or unit name is, and how output text is normalised.

Every package above (ingest, retrieval, answer, drafting, server) imports its text rules
from here; nothing here imports them.
"""

from textcore.facts import Fact, FactIssue, check_facts, extract_facts, named_units
from textcore.proofing import HeadingNumber, heading_number, sentence_spans, unpaired_marks

__all__ = [
    "Fact",
    "FactIssue",
    "HeadingNumber",
    "check_facts",
    "extract_facts",
    "heading_number",
    "named_units",
    "sentence_spans",
    "unpaired_marks",
]
