"""The Chinese-text core: the one place that says what a sentence end, a heading number,
a bigram, a place or unit name is, and how output text is normalised.

Every package above (ingest, retrieval, answer, drafting, server) imports its text rules
from here; nothing here imports them.
"""

from textcore.errors import InvalidRequestError, KbError, ServiceFailureError
from textcore.facts import Fact, FactIssue, check_facts, extract_facts, named_units

__all__ = [
    "Fact",
    "FactIssue",
    "InvalidRequestError",
    "KbError",
    "ServiceFailureError",
    "check_facts",
    "extract_facts",
    "named_units",
]
