"""Write findings into a copy of the user's .docx as Word comments (w:comment).

Each comment is anchored to the runs that hold the quoted text (the whole paragraph
when the quote spans runs that cannot be told apart); findings about the whole
document (page size, margins, page numbers) sit on the first paragraph.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from drafting.proofread.docx_reader import _open, _paragraphs_in_order
from drafting.proofread.types import Finding

__all__ = ["COMMENT_AUTHOR", "annotate_docx", "comment_text"]

COMMENT_AUTHOR = "文稿审校"


def comment_text(finding: Finding) -> str:
    """What the comment says: severity, message, the correction, the source."""
    lines = [f"【{finding.severity.value}】{finding.message}（{finding.rule_id}）"]
    if finding.suggestion:
        lines.append(f"建议改为：{finding.suggestion}")
    if finding.source is not None:
        lines.append(f"出处：《{finding.source.title}》{finding.source.excerpt[:80]}")
    return "\n".join(lines)


def _anchor_runs(paragraph: Paragraph, quote: str) -> list[Run]:
    runs = [run for run in paragraph.runs if run.text]
    if not runs:
        return [paragraph.add_run("")]
    joined = "".join(run.text for run in runs)
    start = joined.find(quote) if quote else -1
    if start < 0:
        return runs
    end = start + len(quote)
    chosen, offset = [], 0
    for run in runs:
        run_start, offset = offset, offset + len(run.text)
        if run_start < end and offset > start:
            chosen.append(run)
    return chosen or runs


def annotate_docx(
    data: bytes, findings: Sequence[Finding], *, author: str = COMMENT_AUTHOR
) -> bytes:
    """A copy of the .docx in ``data`` with one comment per finding."""
    _open(data)  # the same refusal of a broken file as the reader's
    document = Document(io.BytesIO(data))
    paragraphs = [p for p, _ in _paragraphs_in_order(document) if p.text.strip()]
    if not paragraphs:
        paragraphs = [document.add_paragraph("")]
    for finding in findings:
        number = finding.paragraph
        paragraph = paragraphs[number - 1] if 0 < number <= len(paragraphs) else paragraphs[0]
        quote = finding.quote if number else ""
        text = comment_text(finding) if number else f"【全文】{comment_text(finding)}"
        document.add_comment(
            _anchor_runs(paragraph, quote), text=text, author=author, initials="审"
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
