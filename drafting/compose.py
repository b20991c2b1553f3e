"""Compose a draft: gather each section's evidence, choose sentences, cite, fact-check.

The default is extractive: every body sentence is a sentence of a retrieved
source, kept verbatim with its citation, so a draft works with no LLM at all and
every number in it can be traced. When a generator that writes its own wording
(``Generator.extractive`` false: a chat model) or a ``SectionRewriter`` is passed,
each section is rewritten from its own evidence only, and the rewrite is
fact-checked against that evidence like everything else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from answer.generator import Generator
from answer.types import Citation
from drafting.doctypes import DocumentType, SectionSpec, resolve_doc_type
from drafting.official import attachments_from, imprint_from, letterhead_from
from drafting.periods import Period, format_chinese_date, parse_period
from drafting.sections import fits_section
from drafting.types import Draft, DraftParagraph, DraftRequest, DraftSection
from drafting.voice import Voice, voice_for
from retrieval.types import Hit, Searcher, SearchFilters
from textcore import (
    Numbering,
    char_bigrams,
    citation_numbers,
    ends_sentence,
    format_number,
    heading_mark,
    list_marker_end,
    local_place,
    normalize_text,
    split_sentences,
    strip_citation_markers,
)
from textcore.errors import InvalidRequestError
from textcore.facts import FactIssue, check_facts, extract_facts

__all__ = ["SectionRewriter", "compose_draft", "format_chinese_date"]

log = logging.getLogger(__name__)

# Reported speech and reporters' asides read wrongly in an official document.
_HEARSAY = (
    "记者",
    "告诉",
    "说：",
    "说:",
    "说，",
    "说,",
    "表示",
    "笑着",
    "感慨",
    "？",
    "?",
    "供图",
    "通讯员",
    "我们",
    "我心里",
)


class SectionRewriter(Protocol):
    """Rewrites a section from its evidence (an LLM; any ``Generator`` that is not
    extractive is used as one through its ``generate``).

    ``evidence`` lists the numbered source sentences; the result must use only
    them and keep the ``[n]`` markers of the sentences it draws on."""

    def rewrite_section(
        self, *, doc_name: str, heading: str, evidence: Sequence[tuple[int, str]]
    ) -> str: ...


@dataclass(frozen=True)
class _Sentence:
    text: str  # as the source has it (the citation's excerpt)
    shown: str  # as the draft says it: the unit's voice, normalised punctuation
    hit: Hit
    start: int  # offsets in the source document
    end: int
    score: float


@dataclass
class _Scope:
    filters: SearchFilters | None
    period_fallback: bool = False


def _similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.6


def _region_names(unit: str) -> tuple[str, ...]:
    """The most specific place name in a unit ("涧西区湖北路街道" → 湖北路街道)."""
    unit = unit.strip()
    place = local_place(unit)
    if place and place != unit:
        return (place, unit)
    return (unit,) if unit else ()


def _clean_sentence(text: str, start: int) -> tuple[str, int]:
    """Strip whitespace and a leading list marker (——, （一）, 1.); return the new start."""
    stripped = text.lstrip()
    start += len(text) - len(stripped)
    while True:
        end = list_marker_end(stripped)
        if not end or end == len(stripped):
            break
        stripped = stripped[end:]
        start += end
    return stripped.rstrip(), start


def _usable(text: str) -> bool:
    if not 12 <= len(text) <= 220:
        return False
    if not ends_sentence(text):
        return False  # headings, photo captions, cut-off fragments
    if text[0] in '“"「':
        return False
    return not any(marker in text for marker in _HEARSAY)


class _Composer:
    def __init__(
        self,
        request: DraftRequest,
        spec: DocumentType,
        searcher: Searcher,
        *,
        k: int,
    ) -> None:
        self.request = request
        self.spec = spec
        self.searcher = searcher
        self.k = k
        self.period: Period | None = parse_period(request.period) if request.period else None
        topic = (request.topic or "").strip()
        topic_for_title = re.sub(r"工作$", "", topic)
        period_text = self.period.text if self.period else ""
        self.voice = voice_for(request.unit, spec.key)
        self.values = {
            "unit": request.unit.strip(),
            "self": self.voice.self_name if self.voice.kind else request.unit.strip(),
            "topic": topic_for_title,
            "period": period_text,
            "subject": topic_for_title or period_text,
        }
        self.warnings: list[str] = []
        self.citations: list[Citation] = []
        self.used: list[set[str]] = []
        self.notes_placed = False

    # --- scope --------------------------------------------------------------------------

    def choose_scope(self) -> _Scope:
        """Decide once which filters the whole draft searches with: the unit's region
        first, then the period within it; each is relaxed (with a warning) when the
        knowledge base has nothing under it."""
        probe = f"{self.values['unit']}{self.values['topic']} 工作"
        regions = _region_names(self.values["unit"])
        if regions and not self.searcher.search(probe, k=3, filters=SearchFilters(regions=regions)):
            self.warnings.append(
                f"知识库中未找到与“{self.values['unit']}”相关的材料，已放宽单位范围，引用其他单位的材料"
            )
            regions = ()
        if self.period is not None:
            in_period = SearchFilters(
                regions=regions, date_from=self.period.date_from, date_to=self.period.date_to
            )
            if self.searcher.search(probe, k=3, filters=in_period):
                return _Scope(in_period)
            self.warnings.append(
                f"知识库中未找到{self.period.text}的材料，以下内容取自其他时期的材料"
            )
        scoped = SearchFilters(regions=regions)
        return _Scope(None if scoped.is_empty() else scoped, self.period is not None)

    # --- evidence -----------------------------------------------------------------------

    def fill(self, template: str) -> str:
        return template.format(**self.values)

    def candidates(
        self,
        query: str,
        keywords: Sequence[str],
        scope: _Scope,
        accepts: tuple[str, ...] = (),
    ) -> list[_Sentence]:
        """Sentences of the hits for ``query`` that hold a keyword and, said in the
        unit's voice, fit a section accepting ``accepts``; best first."""
        hits = self.searcher.search(query, k=self.k, filters=scope.filters)
        query_grams = char_bigrams(query)
        unit = self.values["unit"]
        seen: set[str] = set()
        found: list[_Sentence] = []
        for rank, hit in enumerate(hits):
            for s, e in split_sentences(hit.text):
                text, start = _clean_sentence(hit.text[s:e], s)
                if text in seen or not _usable(text):
                    continue
                if keywords and not any(word in text for word in keywords):
                    continue
                seen.add(text)
                voiced = self.voice.rewrite(text, source_date=hit.date)
                if voiced is None:
                    continue  # a relative year the source's date cannot resolve
                shown = normalize_text(voiced)
                if not fits_section(shown, accepts):
                    continue
                grams = char_bigrams(text)
                score = len(grams & query_grams) / (len(query_grams) or 1)
                score += 0.15 * sum(1 for word in keywords if word in text)
                score += 0.3 / (rank + 1)
                score += 0.1 if re.search(r"\d", text) else 0.0
                score += 0.2 if unit and unit in text else 0.0
                found.append(
                    _Sentence(
                        text, shown, hit, hit.start + start, hit.start + start + len(text), score
                    )
                )
        found.sort(key=lambda c: c.score, reverse=True)
        return found

    def choose(self, candidates: Sequence[_Sentence], limit: int) -> list[_Sentence]:
        """The best ``limit`` sentences not near-duplicating any used anywhere in the
        draft, in reading order (by document, then position)."""
        chosen: list[_Sentence] = []
        for cand in candidates:
            if len(chosen) >= limit:
                break
            grams = char_bigrams(cand.shown)
            if any(_similar(grams, used) for used in self.used):
                continue
            self.used.append(grams)
            chosen.append(cand)
        first_seen: dict[str, int] = {}
        for cand in chosen:
            first_seen.setdefault(cand.hit.doc_id, len(first_seen))
        chosen.sort(key=lambda c: (first_seen[c.hit.doc_id], c.start))
        return chosen

    def cite(self, sentence: _Sentence) -> int:
        for existing in self.citations:
            if existing.doc_id == sentence.hit.doc_id and existing.start == sentence.start:
                return existing.number
        number = len(self.citations) + 1
        hit = sentence.hit
        self.citations.append(
            Citation(
                number=number,
                chunk_id=hit.chunk_id,
                doc_id=hit.doc_id,
                title=hit.title,
                heading_path=hit.heading_path,
                excerpt=sentence.text,
                start=sentence.start,
                end=sentence.end,
                date=hit.date,
                source_key=hit.source_key,
            )
        )
        return number

    def paragraphs(
        self, chosen: Sequence[_Sentence], *, per_paragraph: int = 2
    ) -> list[DraftParagraph]:
        """Group chosen sentences into paragraphs: consecutive sentences of one document,
        at most ``per_paragraph`` each, every paragraph keeping its citation numbers."""
        out: list[DraftParagraph] = []
        group: list[_Sentence] = []

        def flush() -> None:
            if group:
                numbers = tuple(dict.fromkeys(self.cite(s) for s in group))
                out.append(DraftParagraph("".join(s.shown for s in group), 0, numbers))
                group.clear()

        for sentence in chosen:
            if group and (
                group[-1].hit.doc_id != sentence.hit.doc_id or len(group) >= per_paragraph
            ):
                flush()
            group.append(sentence)
        flush()
        return out

    def polish(self, text: str, source_date: str | None) -> str:
        """Generated text in the unit's voice with normalised punctuation; relative years
        resolved from ``source_date`` (the date of the first source it cites), else
        left for the fact check to flag."""
        voice = self.voice
        text = voice.drop_connective(voice.strip_framing(text))
        text = voice.resolve_years(text, source_date) or text
        return normalize_text(voice.own_voice(text))

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def missing(self, what: str) -> DraftParagraph:
        return DraftParagraph(f"【待补充：知识库中未找到{what}相关内容】", 0, (), True)

    def notes(self, section: SectionSpec) -> list[DraftParagraph]:
        if not section.takes_notes or self.notes_placed or not (self.request.notes or "").strip():
            return []
        self.notes_placed = True
        lines = [
            normalize_text(line.strip())
            for line in (self.request.notes or "").splitlines()
            if line.strip()
        ]
        return [DraftParagraph(line) for line in lines]

    # --- sections -----------------------------------------------------------------------

    def section(self, section: SectionSpec, scope: _Scope) -> list[DraftParagraph]:
        if section.kind == "lead":
            return [DraftParagraph(self.fill(section.lead or ""))]
        if section.kind == "field":
            return [self.field(section)]
        if section.kind == "themes":
            return self.themed(section, scope)
        if section.kind == "plan":
            return self.plan(section, scope)
        if section.kind == "fixed":
            return [DraftParagraph(self.fill(line)) for line in section.lines]
        paragraphs = self.notes(section)
        candidates = self.candidates(
            self.fill(section.query), section.keywords, scope, section.accepts
        )
        topic = self.values["topic"]
        if section.kind == "items" and topic and candidates:
            topic_grams = char_bigrams(topic)
            topical = [c for c in candidates if topic_grams & char_bigrams(c.text)]
            if topical:
                candidates = topical
            else:
                self.warn(
                    f"知识库中未找到与“{topic}”直接相关的{section.heading}，"
                    "所列为其他活动的做法，仅供参考"
                )
        found = self.choose(candidates, section.max_sentences)
        if section.kind == "items":
            for number, sentence in enumerate(found, start=1):
                paragraphs.append(
                    DraftParagraph(f"{number}.{sentence.shown}", 3, (self.cite(sentence),))
                )
        else:
            paragraphs.extend(self.paragraphs(found))
        if section.key == "overview":
            if scope.period_fallback and self.period is not None:
                paragraphs.insert(
                    0,
                    DraftParagraph(
                        f"【说明：知识库中未找到{self.period.text}的材料，以下内容取自其他时期的材料】",
                        0,
                        (),
                        True,
                    ),
                )
            if section.lead:
                paragraphs.append(DraftParagraph(self.fill(section.lead)))
            return paragraphs
        if not found and not paragraphs:
            paragraphs.append(self.missing(section.heading or self.values["topic"] or "本主题"))
        return paragraphs

    def field(self, section: SectionSpec) -> DraftParagraph:
        name = section.field or section.heading
        value = (self.request.fields.get(name) or "").strip()
        if not value and name == "活动主题":
            value = (self.request.topic or "").strip()
        if not value and section.default:
            value = self.fill(section.default)
        if not value:
            return DraftParagraph(f"【待补充：{name}】", 0, (), True)
        # An ISO date (2026-12-05) is written the official way; other text as given.
        return DraftParagraph(normalize_text(format_chinese_date(value)))

    def themed(self, section: SectionSpec, scope: _Scope) -> list[DraftParagraph]:
        paragraphs = self.notes(section)
        numeral = 0
        for theme in section.themes:
            found = self.choose(
                self.candidates(self.fill(theme.query), theme.keywords, scope, section.accepts),
                section.max_sentences,
            )
            if not found:
                log.info("theme %s found no evidence; left out", theme.name)
                continue
            numeral += 1
            paragraphs.append(
                DraftParagraph(format_number(Numbering.CN_PAREN, numeral) + theme.name, 2)
            )
            paragraphs.extend(self.paragraphs(found))
        if not paragraphs:
            paragraphs.append(self.missing(section.heading))
        return paragraphs

    def plan(self, section: SectionSpec, scope: _Scope) -> list[DraftParagraph]:
        """A plan's 活动内容: （一）活动安排, the type's standard steps filled from the
        user's fields (never copied from a source); （二）可借鉴的做法, cited practices
        from the knowledge base, or a 待补充 note."""
        fields = {k: normalize_text(v.strip()) for k, v in self.request.fields.items()}
        when = fields.get("活动时间", "")
        if when:
            fields["活动时间"] = format_chinese_date(when)

        def value(name: str) -> str:
            if name in self.values:
                return self.values[name] or f"【待补充：{name}】"
            return fields.get(name) or f"【待补充：{name}】"

        paragraphs = [DraftParagraph("（一）活动安排", 2)]
        for number, step in enumerate(section.steps, start=1):
            text = re.sub(r"\{([^{}]+)\}", lambda m: value(m.group(1)), step)
            paragraphs.append(DraftParagraph(f"{number}.{text}", 3, (), "【待补充" in text))
            if step.endswith("议程进行："):
                paragraphs.extend(self.agenda(fields.get("议程", "")))
        paragraphs.extend(self.notes(section))

        paragraphs.append(DraftParagraph("（二）可借鉴的做法", 2))
        practices = self.section(replace(section, kind="items", takes_notes=False), scope)
        paragraphs.extend(practices)
        return paragraphs

    def agenda(self, text: str) -> list[DraftParagraph]:
        items = [
            re.sub(r"^(?:\d+|[（(]\d+[)）])[.．、]?\s*", "", item).rstrip("；;。")
            for item in re.split(r"\s*(?:\n|；|;)\s*", text)
        ]
        items = [item for item in items if item]
        if not items:
            return [DraftParagraph("【待补充：活动议程】", 4, (), True)]
        last = len(items)
        return [
            DraftParagraph(f"（{n}）{item}{'。' if n == last else '；'}", 4)
            for n, item in enumerate(items, start=1)
        ]


def _rewrite(
    rewriter: SectionRewriter,
    doc_name: str,
    heading: str,
    paragraphs: list[DraftParagraph],
    citations: dict[int, Citation],
    polish: Callable[[str, str | None], str],
    warn: Callable[[str], None] = log.warning,
) -> list[DraftParagraph]:
    """Rewrite a section's evidence paragraphs with an LLM; keep headings and user text.
    The rewrite gets the same voice and punctuation (``polish``) as extracted text.

    Every paragraph of the rewrite must cite a source and keep every number and date of
    the text it replaces, or the extractive text stays (with a warning naming what was
    missing). Numbers it adds are the fact check's (flagged, or removed with their
    sentence)."""
    evidence = [(n, citations[n].excerpt) for p in paragraphs for n in p.citations if p.level == 0]
    if not evidence:
        return paragraphs
    try:
        text = rewriter.rewrite_section(doc_name=doc_name, heading=heading, evidence=evidence)
    except Exception as exc:  # an unreachable model must not lose the extractive draft
        log.warning("rewriting %s failed, keeping the extractive text: %s", heading, exc)
        return paragraphs
    replaced = [p for p in paragraphs if p.level == 0 and p.citations]
    kept = [p for p in paragraphs if not (p.level == 0 and p.citations)]
    rewritten: list[DraftParagraph] = []
    uncited = 0
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        numbers = tuple(n for n in citation_numbers(line) if n in citations)
        dates = [citations[n].date for n in numbers if citations[n].date]
        clean = polish(strip_citation_markers(line).strip(), dates[0] if dates else None)
        if clean:
            uncited += not numbers
            rewritten.append(DraftParagraph(clean, 0, numbers))
    if not rewritten:
        return paragraphs
    if uncited:
        warn(f"“{heading}”的改写有{uncited}段没有标注来源，已保留摘录原文。")
        return paragraphs
    before = _figures(p.text for p in replaced)
    after = _figures(p.text for p in rewritten)
    lost = [text for key, text in before.items() if key not in after]
    if lost:
        # A figure the drafter would have to put back by hand is worse than the
        # plainer extract, which holds them all.
        warn(f"“{heading}”的改写未保留材料中的{'、'.join(lost[:5])}，已保留摘录原文。")
        return paragraphs
    return kept + rewritten


def _figures(texts: Iterable[str]) -> dict[tuple[object, ...], str]:
    """The numbers and dates stated in ``texts``: their compared (normalised) value →
    how the text wrote it."""
    return {
        (fact.kind, *fact.key): fact.text
        for text in texts
        for fact in extract_facts(text)
        if fact.kind in ("number", "date")
    }


class _GeneratorRewriter:
    """A ``SectionRewriter`` over any ``Generator`` (its ``generate`` seam): the
    section's source sentences are the hits, the answer's citations are mapped back
    to the draft's numbers."""

    def __init__(self, generator: Generator, composer: _Composer) -> None:
        self.generator = generator
        self.composer = composer

    def rewrite_section(
        self, *, doc_name: str, heading: str, evidence: Sequence[tuple[int, str]]
    ) -> str:
        by_number = {c.number: c for c in self.composer.citations}
        cited = [by_number[n] for n, _ in evidence if n in by_number]
        hits = [
            Hit(
                chunk_id=c.chunk_id,
                doc_id=c.doc_id,
                text=c.excerpt,
                title=c.title,
                heading_path=c.heading_path,
                start=c.start,
                end=c.end,
                score=1.0,
                date=c.date,
                source_key=c.source_key,
            )
            for c in cited
        ]
        question = (
            f"请为{self.composer.values['unit']}的{doc_name}撰写“{heading}”部分："
            "只使用所给材料，用公文语言概括，保留材料中的具体数字、日期和单位名称，不要编造。"
        )
        answer = self.generator.generate(question, hits)
        if answer.refused or answer.fell_back:
            # Nothing usable, or the endpoint failed and its fallback answered: the
            # composer's own extractive text is the better section.
            for warning in answer.warnings:
                self.composer.warn(warning)
            return ""
        mapping: dict[int, int] = {}
        for citation in answer.citations:
            for mine in cited:
                if mine.doc_id == citation.doc_id and (
                    mine.start == citation.start or citation.excerpt in mine.excerpt
                ):
                    mapping[citation.number] = mine.number
                    break
        lines = []
        for sentence in answer.sentences:
            marks = "".join(f"[{mapping[n]}]" for n in sentence.citations if n in mapping)
            lines.append(sentence.text.strip() + marks)
        return "".join(lines)  # one paragraph per sub-section, as the extractive one


def _choose_rewriter(
    generator: Generator | None, rewriter: SectionRewriter | None, composer: _Composer
) -> SectionRewriter | None:
    """``rewriter`` when given, else one over a generator that writes its own wording;
    None for none or an extractive generator (the composer is already extractive)."""
    if rewriter is not None:
        return rewriter
    if generator is None or generator.extractive:
        return None
    return _GeneratorRewriter(generator, composer)


def _check(
    paragraph: DraftParagraph, citations: dict[int, Citation], voice: Voice
) -> tuple[int, list[FactIssue]]:
    text = paragraph.text[list_marker_end(paragraph.text) :]
    cited = [citations[n] for n in paragraph.citations if n in citations]
    sources = [c.excerpt for c in cited]
    # A relative year (今年, 去年) is resolved from the source's date: the sentence with
    # its years resolved, and that date, are what the source states.
    for c in cited:
        if c.date:
            sources.append(format_chinese_date(c.date[:10]))
            sources.append(voice.resolve_years(c.excerpt, c.date) or "")
    # The unit's own name is the user's input, and the voice puts it where a source
    # said 该街道: it needs no source.
    sources.append(voice.name)
    return len(extract_facts(text)), check_facts(text, sources)


def _drop_unsupported(
    paragraph: DraftParagraph, issues: Sequence[FactIssue]
) -> DraftParagraph | None:
    bad = [issue.text for issue in issues]
    kept = [
        paragraph.text[s:e]
        for s, e in split_sentences(paragraph.text)
        if not any(b in paragraph.text[s:e] for b in bad)
    ]
    text = "".join(kept).strip()
    return replace(paragraph, text=text) if text else None


def _without_empty_subheadings(paragraphs: list[DraftParagraph]) -> list[DraftParagraph]:
    """Drop sub-headings left with nothing under them, then renumber （一）（二）…."""
    kept = [
        p
        for i, p in enumerate(paragraphs)
        if p.level != 2 or (i + 1 < len(paragraphs) and paragraphs[i + 1].level == 0)
    ]
    numeral = 0
    out: list[DraftParagraph] = []
    for p in kept:
        mark = heading_mark(p.text) if p.level == 2 else None
        if mark is not None and mark.kind is Numbering.CN_PAREN:
            numeral += 1
            p = replace(p, text=format_number(Numbering.CN_PAREN, numeral) + p.text[mark.end :])
        out.append(p)
    return out


def _renumber(
    sections: Sequence[DraftSection], citations: Sequence[Citation]
) -> tuple[tuple[DraftSection, ...], tuple[Citation, ...]]:
    """Number citations 1..n in order of first use, dropping any no longer used."""
    by_number = {c.number: c for c in citations}
    mapping: dict[int, int] = {}
    for section in sections:
        for p in section.paragraphs:
            for n in p.citations:
                mapping.setdefault(n, len(mapping) + 1)
    new_sections = tuple(
        replace(
            s,
            paragraphs=tuple(
                replace(p, citations=tuple(mapping[n] for n in p.citations)) for p in s.paragraphs
            ),
        )
        for s in sections
    )
    new_citations = tuple(replace(by_number[old], number=new) for old, new in mapping.items())
    return new_sections, tuple(sorted(new_citations, key=lambda c: c.number))


def compose_draft(
    request: DraftRequest,
    *,
    searcher: Searcher,
    generator: Generator | None = None,
    rewriter: SectionRewriter | None = None,
    remove_unsupported: bool = False,
    k: int = 8,
    progress: Callable[[str], None] | None = None,
) -> Draft:
    """Compose a draft of ``request.doc_type`` for ``request.unit`` and period.

    Evidence is searched per section (and per theme) with ``searcher``, preferring
    documents dated in the period and about the unit; when the knowledge base has
    none, the search is relaxed and ``Draft.warnings`` says so. The default is
    extractive; a ``generator`` that is not extractive (an LLM), or a ``rewriter``,
    rewrites each section from its evidence. Every number, date and named unit in cited
    paragraphs is checked against the cited sentences: unsupported ones are listed
    in ``Draft.issues`` (and dropped with ``remove_unsupported=True``).
    Raises ``UnknownDocumentTypeError`` or ``PeriodError`` for bad input.
    """
    spec = resolve_doc_type(request.doc_type)
    if not request.unit.strip():
        raise InvalidRequestError("请填写单位名称（unit）")
    composer = _Composer(request, spec, searcher, k=k)
    scope = composer.choose_scope()
    section_rewriter = _choose_rewriter(generator, rewriter, composer)

    composed: dict[int, list[DraftParagraph]] = {}
    for index in sorted(range(len(spec.sections)), key=lambda i: spec.sections[i].priority):
        section = spec.sections[index]
        if progress:
            progress(section.heading or section.key)
        composed[index] = composer.section(section, scope)

    sections: list[DraftSection] = []
    numeral = 0
    for index, section in enumerate(spec.sections):
        paragraphs = composed[index]
        heading = ""
        if section.heading:
            numeral += 1
            heading = format_number(Numbering.CN_ITEM, numeral) + section.heading
        if section_rewriter is not None and section.kind in ("evidence", "themes"):
            paragraphs = _rewrite_grouped(
                section_rewriter, spec.name, section.heading, paragraphs, composer
            )
        sections.append(DraftSection(section.key, heading, tuple(paragraphs)))

    by_number = {c.number: c for c in composer.citations}
    checked = 0
    issues: list[FactIssue] = []
    final_sections: list[DraftSection] = []
    for drafted in sections:
        kept: list[DraftParagraph] = []
        for paragraph in drafted.paragraphs:
            if not paragraph.citations:
                kept.append(paragraph)  # headings, the user's own text and fields
                continue
            count, found = _check(paragraph, by_number, composer.voice)
            checked += count
            issues.extend(found)
            if found and remove_unsupported:
                trimmed = _drop_unsupported(paragraph, found)
                if trimmed is not None:
                    kept.append(trimmed)
                continue
            kept.append(paragraph)
        if remove_unsupported:
            kept = _without_empty_subheadings(kept)
        if not kept and drafted.paragraphs:
            kept.append(composer.missing(drafted.heading.split("、")[-1]))
        final_sections.append(replace(drafted, paragraphs=tuple(kept)))

    final, citations = _renumber(final_sections, composer.citations)
    supported = 1.0 if checked == 0 else max(0.0, (checked - len(issues)) / checked)
    recipient = None
    if spec.recipient_field:
        recipient = request.fields.get(spec.recipient_field) or spec.default_recipient
    title = re.sub(r"\s+", "", composer.fill(spec.title))
    date_text = format_chinese_date(request.date)
    if request.fields.get("签发人") and not spec.upward:
        composer.warn(f"签发人只用于上行文，{spec.name}不标注签发人")
    return Draft(
        request=request,
        title=title,
        recipient=recipient,
        sections=final,
        closing=spec.closing,
        signature=request.fields.get("落款") or composer.values["unit"],
        date=date_text,
        citations=citations,
        issues=tuple(issues),
        supported_share=supported,
        warnings=tuple(composer.warnings),
        letterhead=letterhead_from(request.fields, upward=spec.upward),
        attachments=attachments_from(request.fields),
        imprint=imprint_from(request.fields, default_date=date_text),
    )


def _rewrite_grouped(
    rewriter: SectionRewriter,
    doc_name: str,
    heading: str,
    paragraphs: list[DraftParagraph],
    composer: _Composer,
) -> list[DraftParagraph]:
    """Rewrite each run of evidence under one sub-heading separately, so themes stay apart."""
    by_number = {c.number: c for c in composer.citations}
    out: list[DraftParagraph] = []
    run: list[DraftParagraph] = []
    run_heading = heading
    for paragraph in paragraphs + [DraftParagraph("", 2)]:
        if paragraph.level > 0:
            out.extend(
                _rewrite(
                    rewriter,
                    doc_name,
                    run_heading,
                    run,
                    by_number,
                    composer.polish,
                    composer.warn,
                )
                if run
                else []
            )
            run = []
            if paragraph.text:
                out.append(paragraph)
                run_heading = paragraph.text
        else:
            run.append(paragraph)
    return out
