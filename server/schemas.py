"""Request and response models of the HTTP API.

These are the API's own types: the packages below hand out frozen dataclasses
(``Hit``, ``Answer``, ``Draft`` …) and the ``from_*`` constructors here convert
them, so a change inside a package never silently changes the wire format.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from answer import Answer, Citation
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
    failed: int
    failures: list[JobFailureOut]
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
            failed=len(snap.failures),
            failures=[JobFailureOut(source=f.source, reason=f.reason) for f in snap.failures],
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

    @classmethod
    def from_record(cls, rec: DocumentRecord) -> DocumentOut:
        return cls.model_validate(rec, from_attributes=True)


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
        )


class DocumentDetail(DocumentOut):
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

    @classmethod
    def from_hit(cls, hit: Hit) -> HitOut:
        return cls(
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
        )


class SearchResponse(BaseModel):
    query: str
    mode: str
    hits: list[HitOut]


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


_CLOSING_PUNCT = "。！？!?；;…"


def _with_markers(text: str, citations: tuple[int, ...]) -> str:
    # ``……32人[1]。``: the markers go before the sentence's closing punctuation.
    if not citations:
        return text
    end = len(text.rstrip(_CLOSING_PUNCT))
    return text[:end] + "".join(f"[{n}]" for n in citations) + text[end:]


class AnswerOut(BaseModel):
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

    @classmethod
    def from_answer(cls, a: Answer) -> AnswerOut:
        return cls(
            question=a.question,
            answer=a.text,
            cited_answer="".join(_with_markers(s.text, s.citations) for s in a.sentences),
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
        )


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


class DraftOut(BaseModel):
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

    @classmethod
    def from_draft(cls, d: Draft, *, filename: str) -> DraftOut:
        return cls(
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
        )


class DocumentTypeOut(BaseModel):
    key: str
    name: str
    fields: list[str] = Field(default_factory=list, description="Type-specific inputs it asks for.")


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


def jsonable(value: Any) -> Any:
    """Plain JSON values from whatever a streamed event carries (dataclasses, tuples)."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, Citation):
            return CitationOut.from_citation(value).model_dump()
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value
