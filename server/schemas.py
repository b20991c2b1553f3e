"""Request and response models of the HTTP API.

These are the API's own types: the packages below hand out frozen dataclasses
(``Hit``, ``Answer``, ``Draft`` …) and the ``from_*`` constructors here convert
them, so a change inside a package never silently changes the wire format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

from answer import Answer, Citation, cited_text
from drafting import Draft, DraftRequest
from retrieval import DocumentRecord, Hit, SearchFilters, StoredChunk
from server.jobs import JobSnapshot
from textcore import FactIssue

_ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["未找到该文档 / Document not found"])


class ErrorResponse(BaseModel):
    """The shape of every error response."""

    error: ErrorDetail


# --- filters ---------------------------------------------------------------


class FiltersIn(BaseModel):
    """Restrict search to documents matching every field that is set."""

    model_config = ConfigDict(extra="forbid")

    regions: list[str] = Field(default_factory=list, examples=[["涧西区"]])
    doc_types: list[str] = Field(default_factory=list, examples=[["news"]])
    date_from: str | None = Field(default=None, pattern=_ISO_DATE, examples=["2022-01-01"])
    date_to: str | None = Field(default=None, pattern=_ISO_DATE, examples=["2022-12-31"])
    doc_ids: list[str] = Field(default_factory=list)

    def to_filters(self) -> SearchFilters | None:
        filters = SearchFilters(
            doc_ids=tuple(self.doc_ids),
            regions=tuple(self.regions),
            doc_types=tuple(self.doc_types),
            date_from=self.date_from,
            date_to=self.date_to,
        )
        return None if filters.is_empty() else filters


# --- jobs ------------------------------------------------------------------


class JobAccepted(BaseModel):
    job_id: str
    status: str
    url: str = Field(description="Poll this for progress.")


class JobFailureOut(BaseModel):
    source: str
    reason: str


class JobOut(BaseModel):
    """Progress of a background ingest job."""

    job_id: str
    kind: Literal["upload", "folder"]
    label: str
    status: Literal["queued", "running", "done", "failed"]
    files_done: int
    files_total: int
    chunks: int
    current: str
    added: int
    updated: int
    unchanged: int
    duplicates: int = Field(
        description="Files not indexed: another document already has their bytes."
    )
    failed: int
    failures: list[JobFailureOut]
    warnings: list[JobFailureOut] = Field(
        default_factory=list, description="Files indexed with parts left out, and which."
    )
    pages_done: int = Field(default=0, description="OCR pages of `current` done.")
    pages_total: int = Field(
        default=0, description="OCR pages of `current` in all (0: it is not being OCRed)."
    )
    error: str | None
    created_at: float
    started_at: float | None
    finished_at: float | None

    @classmethod
    def from_snapshot(cls, snap: JobSnapshot) -> JobOut:
        return cls(
            job_id=snap.job_id,
            kind=snap.kind,  # type: ignore[arg-type]
            label=snap.label,
            status=snap.status,  # type: ignore[arg-type]
            files_done=snap.files_done,
            files_total=snap.files_total,
            chunks=snap.chunks,
            current=snap.current,
            added=snap.added,
            updated=snap.updated,
            unchanged=snap.unchanged,
            duplicates=snap.duplicates,
            failed=len(snap.failures),
            failures=[JobFailureOut(source=f.source, reason=f.reason) for f in snap.failures],
            warnings=[JobFailureOut(source=w.source, reason=w.reason) for w in snap.warnings],
            pages_done=snap.pages_done,
            pages_total=snap.pages_total,
            error=snap.error,
            created_at=snap.created_at,
            started_at=snap.started_at,
            finished_at=snap.finished_at,
        )


class JobList(BaseModel):
    items: list[JobOut]


class IngestRequest(BaseModel):
    """Folders or files on the server to index (only under the configured ingest roots)."""

    model_config = ConfigDict(extra="forbid")

    paths: list[str] = Field(min_length=1, max_length=100, examples=[["corpus"]])
    prune: bool = Field(False, description="Also remove indexed documents whose file is gone.")


# --- documents -------------------------------------------------------------


class DocumentOut(BaseModel):
    knowledge_base: str = ""
    doc_id: str
    source_key: str
    title: str
    content_hash: str
    chunk_count: int
    date: str | None
    regions: list[str]
    doc_type: str
    file_type: str
    source: str | None
    author: str | None
    effective: str | None = None
    superseded: bool = False

    @classmethod
    def from_record(cls, rec: DocumentRecord, *, knowledge_base: str = "") -> DocumentOut:
        out = cls.model_validate(rec, from_attributes=True)
        out.knowledge_base = knowledge_base
        return out


class DocumentPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[DocumentOut]


class ChunkOut(BaseModel):
    chunk_id: str
    index: int
    text: str
    start: int
    end: int
    heading_path: list[str]
    article: str = Field(default="", description="第X条 when the chunk is (part of) an article.")

    @classmethod
    def from_stored(cls, stored: StoredChunk) -> ChunkOut:
        c = stored.chunk
        return cls(
            chunk_id=c.chunk_id,
            index=c.index,
            text=c.text,
            start=c.start,
            end=c.end,
            heading_path=list(c.heading_path),
            article=c.article,
        )


class DocumentDetail(DocumentOut):
    chunks: list[ChunkOut]


class ArticleOut(BaseModel):
    """One article of a statute, whole: its chunks in order (a long article is split
    between 款) and their text joined, for a citation to open."""

    knowledge_base: str = ""
    doc_id: str
    title: str
    article: str = Field(description="The article's label, 第X条.")
    heading_path: list[str] = Field(description="编/章/节 the article sits in.")
    text: str
    chunks: list[ChunkOut]


class Deleted(BaseModel):
    doc_id: str
    deleted: bool


# --- search ----------------------------------------------------------------


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=2000, examples=["五星支部创建有哪些做法"])
    k: int = Field(8, ge=1, le=50)
    filters: FiltersIn = Field(default_factory=lambda: FiltersIn())
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"

    @field_validator("query")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("query must not be blank")
        return value.strip()


class HitOut(BaseModel):
    knowledge_base: str = ""
    chunk_id: str
    doc_id: str
    title: str
    text: str
    heading_path: list[str]
    start: int
    end: int
    score: float
    retrievers: list[str]
    ranks: dict[str, int]
    date: str | None
    source_key: str
    regions: list[str]
    doc_type: str
    ocr: bool = False
    article: str = ""
    context: str = ""

    @classmethod
    def from_hit(cls, hit: Hit) -> HitOut:
        return cls(
            knowledge_base=hit.knowledge_base,
            chunk_id=hit.chunk_id,
            doc_id=hit.doc_id,
            title=hit.title,
            text=hit.text,
            heading_path=list(hit.heading_path),
            start=hit.start,
            end=hit.end,
            score=float(hit.score),
            retrievers=list(hit.retrievers),
            ranks=dict(hit.ranks),
            date=hit.date,
            source_key=hit.source_key,
            regions=list(hit.regions),
            doc_type=hit.doc_type,
            ocr=hit.ocr,
            article=hit.article,
            context=hit.context,
        )


class SearchResponse(BaseModel):
    query: str
    mode: str
    hits: list[HitOut]
    lexicon: list[tuple[str, list[str]]] | None = Field(
        default=None,
        description="With --explain: everyday words of the query and their statute words.",
    )


# --- chat ------------------------------------------------------------------


class ChatMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20000)


class ChatRequest(BaseModel):
    """A question, with earlier turns as ``[{role, content}]`` or ``[[question, answer]]``."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=2000, examples=["五星支部创建有哪些做法？"])
    history: list[ChatMessage] | list[tuple[str, str]] = Field(default_factory=list, max_length=50)
    k: int = Field(8, ge=1, le=30)
    filters: FiltersIn = Field(default_factory=lambda: FiltersIn())
    stream: bool = False

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message must not be blank")
        return value.strip()

    def history_pairs(self) -> list[tuple[str, str]]:
        """Earlier turns as ``(question, answer)`` pairs, whichever form they came in."""
        pairs: list[tuple[str, str]] = []
        pending: str | None = None
        for item in self.history:
            if isinstance(item, ChatMessage):
                if item.role == "user":
                    if pending is not None:
                        pairs.append((pending, ""))
                    pending = item.content
                else:
                    pairs.append((pending or "", item.content))
                    pending = None
            else:
                pairs.append((item[0], item[1]))
        if pending is not None:
            pairs.append((pending, ""))
        return pairs


class CitationOut(BaseModel):
    number: int
    chunk_id: str
    doc_id: str
    title: str
    heading_path: list[str]
    excerpt: str
    start: int
    end: int
    date: str | None
    source_key: str
    ocr: bool = False
    article: str = Field(default="", description="第X条 when the passage is a statute's article.")
    label: str = Field(default="", description="How the source reads: 《title》第X条 or the title.")

    @classmethod
    def from_citation(cls, c: Citation) -> CitationOut:
        return cls.model_validate(c, from_attributes=True)


class FactIssueOut(BaseModel):
    text: str
    kind: str
    sentence: str

    @classmethod
    def from_issue(cls, issue: FactIssue) -> FactIssueOut:
        return cls.model_validate(issue, from_attributes=True)


class AnswerSentenceOut(BaseModel):
    text: str
    citations: list[int]


class AnswerOut(BaseModel):
    """A cited answer: the one shape of ``POST /chat``, the stream's ``citations``
    event and ``kb ask --json``."""

    question: str
    answer: str = Field(description="The answer as plain text.")
    cited_answer: str = Field(description="The answer with [n] citation markers.")
    sentences: list[AnswerSentenceOut]
    citations: list[CitationOut]
    refused: bool
    generator: str
    issues: list[FactIssueOut]
    warnings: list[str]
    rewritten_query: str | None
    related: list[CitationOut] = Field(
        default_factory=list,
        description="With a refusal: the nearest passages, to read — not an answer.",
    )
    fell_back: bool = Field(
        default=False,
        description="The language model did not answer (in time, or its answer failed "
        "the checks); the extractive fallback wrote this answer.",
    )
    notice: str = Field(
        default="", description="With fell_back: the line to show above the answer."
    )

    @classmethod
    def from_answer(cls, a: Answer) -> Self:
        return cls(
            question=a.question,
            answer=a.text,
            cited_answer=cited_text(a),
            sentences=[
                AnswerSentenceOut(text=s.text, citations=list(s.citations)) for s in a.sentences
            ],
            citations=[CitationOut.from_citation(c) for c in a.citations],
            refused=a.refused,
            generator=a.generator,
            issues=[FactIssueOut.from_issue(i) for i in a.issues],
            warnings=list(a.warnings),
            rewritten_query=a.rewritten_query,
            related=[CitationOut.from_citation(c) for c in a.related],
            fell_back=a.fell_back,
            notice=a.notice,
        )


# --- chat stream (text/event-stream; the SSE event name repeats ``type``) -----


class DeltaEvent(BaseModel):
    """More answer text, as it is written (markers included)."""

    type: Literal["delta"] = "delta"
    text: str


class AnswerEvent(AnswerOut):
    """The checked answer, once, after the deltas; its ``cited_answer`` is authoritative."""

    type: Literal["citations"] = "citations"


class DoneEvent(BaseModel):
    type: Literal["done"] = "done"


class ErrorEvent(BaseModel):
    """The stream failed after it had started (the status code was sent already)."""

    type: Literal["error"] = "error"
    message: str


StreamEvent = DeltaEvent | AnswerEvent | DoneEvent | ErrorEvent


def stream_event(event: Mapping[str, Any]) -> StreamEvent:
    """The wire model of one event of ``answer.stream_answer`` (see ``answer.generator``)."""
    kind = event.get("type")
    if kind == "delta":
        return DeltaEvent(text=str(event.get("text", "")))
    if kind == "citations":
        return AnswerEvent.from_answer(event["answer"])
    if kind == "done":
        return DoneEvent()
    if kind == "error":
        return ErrorEvent(message=str(event.get("message", "")))
    raise ValueError(f"unknown stream event {kind!r}")


# --- drafts ----------------------------------------------------------------


class DraftIn(BaseModel):
    """What to draft, for whom and for when; and how to render it."""

    model_config = ConfigDict(extra="forbid")

    doc_type: str = Field(min_length=1, max_length=40, examples=["summary"])
    unit: str = Field(min_length=1, max_length=100, examples=["涧西区工农街道"])
    period: str | None = Field(default=None, max_length=40, examples=["2022年第三季度"])
    topic: str | None = Field(default=None, max_length=200, examples=["网格党建"])
    notes: str | None = Field(default=None, max_length=4000)
    fields: dict[str, str] = Field(default_factory=dict)
    date: str | None = Field(default=None, max_length=20, description="成文日期; today when unset")
    citation_style: str = Field("footnote", max_length=20, examples=["footnote"])
    remove_unsupported: bool = Field(
        False, description="Drop sentences whose numbers, dates or units no source supports."
    )

    @field_validator("unit")
    @classmethod
    def _unit_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("unit must not be blank")
        return value.strip()

    def to_request(self) -> DraftRequest:
        def clean(value: str | None) -> str | None:
            return value.strip() or None if value is not None else None

        return DraftRequest(
            doc_type=self.doc_type.strip(),
            unit=self.unit,
            period=clean(self.period),
            topic=clean(self.topic),
            notes=clean(self.notes),
            fields={k: v for k, v in self.fields.items() if v.strip()},
            date=clean(self.date),
        )


class DraftParagraphOut(BaseModel):
    text: str
    level: int
    citations: list[int]
    placeholder: bool


class DraftSectionOut(BaseModel):
    key: str
    heading: str
    paragraphs: list[DraftParagraphOut]


class DraftRequestOut(BaseModel):
    """What the draft was asked for (as ``DraftIn`` reached the composer)."""

    doc_type: str
    unit: str
    period: str | None
    topic: str | None
    notes: str | None
    fields: dict[str, str]
    date: str | None


class LetterheadOut(BaseModel):
    """The GB/T 9704 版头 a draft was given: 发文机关标志, 发文字号, 签发人."""

    issuer_mark: str
    number: str
    signer: str


class ImprintOut(BaseModel):
    """The GB/T 9704 版记 a draft was given: 抄送, 印发机关, 印发日期."""

    copy_to: str
    printer: str
    print_date: str


class DraftOut(BaseModel):
    """A composed draft: the shape of ``POST /drafts?format=json`` and ``kb draft --json``."""

    request: DraftRequestOut
    title: str
    filename: str
    recipient: str | None
    sections: list[DraftSectionOut]
    closing: str | None
    signature: str
    date: str
    citations: list[CitationOut]
    issues: list[FactIssueOut]
    supported_share: float
    warnings: list[str]
    letterhead: LetterheadOut | None = None  # when asked for
    attachments: list[str] = Field(default_factory=list)
    imprint: ImprintOut | None = None  # when asked for

    @classmethod
    def from_draft(cls, d: Draft, *, filename: str) -> DraftOut:
        return cls(
            request=DraftRequestOut.model_validate(d.request, from_attributes=True),
            title=d.title,
            filename=filename,
            recipient=d.recipient,
            sections=[
                DraftSectionOut(
                    key=s.key,
                    heading=s.heading,
                    paragraphs=[
                        DraftParagraphOut(
                            text=p.text,
                            level=p.level,
                            citations=list(p.citations),
                            placeholder=p.placeholder,
                        )
                        for p in s.paragraphs
                    ],
                )
                for s in d.sections
            ],
            closing=d.closing,
            signature=d.signature,
            date=d.date,
            citations=[CitationOut.from_citation(c) for c in d.citations],
            issues=[FactIssueOut.from_issue(i) for i in d.issues],
            supported_share=d.supported_share,
            warnings=list(d.warnings),
            letterhead=(
                LetterheadOut.model_validate(d.letterhead, from_attributes=True)
                if d.letterhead
                else None
            ),
            attachments=list(d.attachments),
            imprint=(
                ImprintOut.model_validate(d.imprint, from_attributes=True) if d.imprint else None
            ),
        )


class DraftFileOut(DraftOut):
    """``kb draft --json``: the draft and where its files were written."""

    output: str = Field(description="The .docx written.")
    pdf: str | None = Field(description="The PDF preview, when asked for.")


class DocumentTypeOut(BaseModel):
    key: str
    name: str
    fields: list[str] = Field(default_factory=list, description="Type-specific inputs it asks for.")
    official_fields: list[str] = Field(
        default_factory=list,
        description="Inputs for the GB/T 9704 版头, 附件说明 and 版记 (发文字号, 抄送 …).",
    )


class DocumentTypeList(BaseModel):
    items: list[DocumentTypeOut]


# --- health ----------------------------------------------------------------


class HealthOut(BaseModel):
    status: Literal["ok", "starting", "unavailable"]
    chunks: int | None
    documents: int | None
    model: str | None
    store_mode: Literal["embedded", "http"]
    llm_configured: bool
    llm_model: str | None
    auth_required: bool
    jobs_running: int
    detail: str | None = None


# --- knowledge bases and tokens ------------------------------------------------------


class KnowledgeBaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$", examples=["policy"]
    )
    title: str = Field(min_length=1, max_length=60, examples=["政策法规"])


class KnowledgeBaseRename(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=60, examples=["政策法规库"])


class KnowledgeBaseOut(BaseModel):
    name: str
    title: str
    documents: int
    chunks: int
    created: str


class KnowledgeBaseDeleted(BaseModel):
    name: str
    deleted: bool


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["reader", "editor", "admin"]
    knowledge_bases: list[str] = Field(
        default_factory=list, max_length=50, description="Names, or ['*'] for all."
    )
    label: str = Field("", max_length=60)


class TokenOut(BaseModel):
    token_id: str
    role: Literal["reader", "editor", "admin"]
    knowledge_bases: list[str]
    label: str
    created: str


class TokenCreated(TokenOut):
    token: str = Field(description="The token itself: shown this once, stored only hashed.")


# --- proofreading ------------------------------------------------------------


class ProofreadTextIn(BaseModel):
    """Text to proofread, one paragraph a line; the first line is the title when it reads like one."""

    text: str = Field(min_length=1, max_length=400_000, description="The document's text.")
    check_figures: bool = Field(
        default=True, description="Compare each figure with the knowledge base."
    )


class FigureSourceOut(BaseModel):
    title: str
    doc_id: str
    chunk_id: str
    excerpt: str


class FindingOut(BaseModel):
    rule_id: str = Field(description="e.g. punct.halfwidth, wording.截至, figures.contradiction")
    kind: Literal["layout", "structure", "punctuation", "wording", "figures"]
    severity: Literal["错误", "建议"]
    paragraph: int = Field(description="1-based paragraph number; 0 = the whole document.")
    quote: str
    message: str
    suggestion: str | None = None
    source: FigureSourceOut | None = None

    @classmethod
    def from_finding(cls, finding: Any) -> FindingOut:
        """From a ``drafting.proofread.Finding``."""
        from dataclasses import asdict

        source = finding.source
        return cls(
            rule_id=finding.rule_id,
            kind=finding.kind.value,
            severity=finding.severity.value,
            paragraph=finding.paragraph,
            quote=finding.quote,
            message=finding.message,
            suggestion=finding.suggestion,
            source=FigureSourceOut(**asdict(source)) if source is not None else None,
        )


class ProofreadOut(BaseModel):
    """The findings of one document, in document order, with what was read."""

    filename: str | None = None
    paragraphs: int
    pages: float = Field(description="Estimated GB/T 9704 pages (22 lines × 28 characters).")
    tables: int = 0
    images: int = 0
    errors: int
    suggestions: int
    figures_checked: int
    notes: list[str] = Field(default_factory=list)
    kept_as: str | None = Field(
        default=None, description="Where the upload was stored; null unless keep=true."
    )
    findings: list[FindingOut]

    @classmethod
    def from_report(
        cls,
        report: Any,
        *,
        filename: str | None = None,
        tables: int = 0,
        images: int = 0,
        kept_as: str | None = None,
    ) -> ProofreadOut:
        """From a ``drafting.proofread.ProofreadReport``."""
        findings = [FindingOut.from_finding(f) for f in report.findings]
        errors = sum(f.severity == "错误" for f in findings)
        return cls(
            filename=filename,
            paragraphs=report.paragraphs,
            pages=report.pages,
            tables=tables,
            images=images,
            errors=errors,
            suggestions=len(findings) - errors,
            figures_checked=report.figures_checked,
            notes=list(report.notes),
            kept_as=kept_as,
            findings=findings,
        )
