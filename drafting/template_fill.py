"""Fill a user's own .docx template with a draft, keeping its letterhead and styles.

Placeholders are written ``{{名称}}``; Word often splits such text over several runs
(spell-check marks, a change of font), so each paragraph's runs are read as one
string and a placeholder is replaced in the runs that hold it, keeping the first
run's formatting. Our own replacer rather than Jinja: Chinese text with braces
and quotes needs no escaping this way.

Inline placeholders (replaced inside the paragraph): ``{{标题}}``, ``{{主送机关}}``,
``{{落款}}``, ``{{日期}}`` (or ``{{成文日期}}``), ``{{单位}}``, ``{{时间}}``,
``{{主题}}``, ``{{结束语}}`` and any key of ``DraftRequest.fields`` (``{{活动时间}}``);
English names (``{{title}}``, ``{{body}}``, ``{{references}}``, ``{{date}}`` …) work too.
Block placeholders (a paragraph holding only the placeholder becomes several
paragraphs): ``{{正文}}`` (every section with its heading), ``{{参考材料}}``, and one
section: ``{{主要工作及成效}}`` / ``{{achievements}}`` (its paragraphs) or
``{{一、主要工作及成效}}`` (heading and paragraphs).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from drafting.blocks import Block, draft_blocks, ensure_styles, write_block
from drafting.types import Draft
from textcore.errors import InvalidRequestError

__all__ = ["PLACEHOLDER", "TemplateError", "fill_template", "template_placeholders"]

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


# English names work as well, for templates shared with other tools.
_ENGLISH_NAMES = {
    "title": "标题",
    "recipient": "主送机关",
    "body": "正文",
    "references": "参考材料",
    "signature": "落款",
    "date": "日期",
    "unit": "单位",
    "period": "时间",
    "topic": "主题",
    "closing": "结束语",
}


class TemplateError(InvalidRequestError):
    """The template is not a readable .docx."""


def _iter_table_paragraphs(table: Table) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from _iter_table_paragraphs(inner)


def _body_paragraphs(document: DocxDocument) -> list[Paragraph]:
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs.extend(_iter_table_paragraphs(table))
    return paragraphs


def _header_footer_paragraphs(document: DocxDocument) -> list[Paragraph]:
    out: list[Paragraph] = []
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            out.extend(part.paragraphs)
            for table in part.tables:
                out.extend(_iter_table_paragraphs(table))
    return out


def _run_text(paragraph: Paragraph) -> str:
    return "".join(run.text for run in paragraph.runs)


def template_placeholders(template: bytes | Path) -> list[str]:
    """The placeholder names a template uses, in order of first appearance."""
    document = _open(template)
    names: dict[str, None] = {}
    for paragraph in _body_paragraphs(document) + _header_footer_paragraphs(document):
        for match in PLACEHOLDER.finditer(_run_text(paragraph)):
            names.setdefault(match.group(1), None)
    return list(names)


def _open(template: bytes | Path) -> DocxDocument:
    try:
        data = template.read_bytes() if isinstance(template, Path) else template
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a bad package
        raise TemplateError(f"模板不是可读取的 .docx 文件：{exc}") from exc


def _inline_values(draft: Draft) -> dict[str, str]:
    request = draft.request
    values = dict(request.fields)
    values.update(
        {
            "标题": draft.title,
            "主送机关": draft.recipient or "",
            "落款": draft.signature,
            "日期": draft.date,
            "成文日期": draft.date,
            "单位": request.unit,
            "时间": request.period or "",
            "主题": request.topic or "",
            "结束语": draft.closing or "",
        }
    )
    for english, chinese in _ENGLISH_NAMES.items():
        if chinese in values:
            values.setdefault(english, values[chinese])
    return values


def _replace_in_runs(paragraph: Paragraph, values: dict[str, str]) -> list[str]:
    """Replace known inline placeholders in ``paragraph``'s runs; return unknown names."""
    runs = paragraph.runs
    texts = [run.text for run in runs]
    joined = "".join(texts)
    unknown: list[str] = []
    matches = [m for m in PLACEHOLDER.finditer(joined)]
    for match in reversed(matches):
        name = match.group(1)
        if name not in values:
            unknown.append(name)
            continue
        value = values[name]
        if (
            name == "主送机关"
            and value
            and not joined[match.end() :].lstrip().startswith(("：", ":"))
        ):
            value += "："
        _splice(texts, match.start(), match.end(), value)
    for run, text in zip(runs, texts, strict=True):
        if run.text != text:
            run.text = text
    return unknown


def _splice(texts: list[str], start: int, end: int, value: str) -> None:
    """Replace characters ``start:end`` of the concatenated ``texts`` with ``value``,
    putting it in the run where the placeholder begins and emptying the rest."""
    pos = 0
    first = True
    for i, text in enumerate(texts):
        run_start, run_end = pos, pos + len(text)
        pos = run_end
        if run_end <= start or run_start >= end:
            continue
        before = text[: max(0, start - run_start)]
        after = text[max(0, end - run_start) :] if end < run_end else ""
        texts[i] = before + (value if first else "") + after
        first = False


def _block_part(name: str, draft: Draft) -> str | None:
    name = _ENGLISH_NAMES.get(name, name)
    if name == "正文":
        return "body"
    if name == "参考材料":
        return "references"
    for section in draft.sections:
        if name in (section.key, section.heading, section.heading.split("、", 1)[-1]) and name:
            return f"section:{name}"
    return None


def _expand(paragraph: Paragraph, blocks: list[Block], citation_style: str, draft: Draft) -> None:
    for block in blocks:
        new = paragraph.insert_paragraph_before()
        write_block(new, block, citation_style=citation_style, issues=draft.issues)
    element = paragraph._element
    element.getparent().remove(element)


def fill_template(
    draft: Draft, template: bytes | Path, *, citation_style: str = "footnote"
) -> bytes:
    """Fill ``template`` with ``draft`` and return the .docx bytes.

    The template's own page set-up, letterhead, headers and footers stay as they
    are; expanded paragraphs use the "KB …" styles (added when the template lacks
    them). A template without ``{{正文}}`` or section placeholders gets the whole
    draft appended; without ``{{参考材料}}``, the reference list is appended.
    """
    document = _open(template)
    ensure_styles(document, overwrite=False)
    values = _inline_values(draft)
    body = _body_paragraphs(document)
    names = {m.group(1) for p in body for m in PLACEHOLDER.finditer(_run_text(p))}
    has_body = any(_block_part(n, draft) not in (None, "references") for n in names)
    body_extra: list[Block] = []
    if not names & {"结束语", "closing"}:
        body_extra = draft_blocks(draft, "closing")

    unknown: list[str] = []
    for paragraph in body:
        text = _run_text(paragraph)
        match = PLACEHOLDER.fullmatch(text.strip())
        part = _block_part(match.group(1), draft) if match else None
        if part is not None:
            blocks = draft_blocks(draft, part)
            if part == "body":
                blocks = blocks + body_extra
            _expand(paragraph, blocks, citation_style, draft)
            continue
        if PLACEHOLDER.search(text):
            unknown.extend(_replace_in_runs(paragraph, values))
    for paragraph in _header_footer_paragraphs(document):
        if PLACEHOLDER.search(_run_text(paragraph)):
            unknown.extend(_replace_in_runs(paragraph, values))
    if unknown:
        log.warning("template placeholders left unfilled: %s", ", ".join(sorted(set(unknown))))

    trailing: list[Block] = []
    if not has_body:
        for part in ("title", "recipient", "body", "closing", "signature", "date"):
            if part == "title" and names & {"标题", "title"}:
                continue
            trailing.extend(draft_blocks(draft, part))
    if not names & {"参考材料", "references"}:
        trailing.extend(draft_blocks(draft, "references"))
    for block in trailing:
        write_block(
            document.add_paragraph(), block, citation_style=citation_style, issues=draft.issues
        )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
