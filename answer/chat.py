"""Chat answers: resolve a follow-up, retrieve, generate, hand back a cited answer.

``answer_question`` and ``stream_answer`` are what the server's ``/chat`` route and
the ``kb ask`` command call. A follow-up such as “那湖北路街道呢？” cannot be
searched on its own, so it is first rewritten with the previous question
(``rewrite_follow_up``, a pure function) and the rewritten query is searched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from answer.answerability import RECOURSE_KINDS
from answer.generator import Generator, stream_events
from answer.types import Answer, Citation
from retrieval.types import Hit, Searcher, SearchFilters
from textcore import named_units, unit_suffix
from textcore.articles import states_sanction
from textcore.errors import InvalidRequestError
from textcore.questions import asking_clauses, asks_sanction

__all__ = ["answer_question", "rewrite_follow_up", "stream_answer"]

log = logging.getLogger(__name__)


# -- follow-up rewriting ----------------------------------------------------------

_FOLLOW_UP_LEADS = ("那么", "那", "还有", "另外", "再")
_PRONOUN_LEADS = (
    "他们",
    "她们",
    "它们",
    "它",
    "他",
    "她",
    "其",
    "该街道",
    "该社区",
    "这个",
    "这里",
)
_ELABORATION_LEADS = ("具体", "分别", "其中", "其他", "其余")
_TRAILING = re.compile(r"[呢吗啊呀？?。！!\s]+$")
_MAX_FOLLOW_UP_CHARS = 16
# A question with one of these has a predicate of its own and is searched as it is.
_PREDICATE_CUES = (
    "多少",
    "哪些",
    "什么",
    "怎么",
    "如何",
    "怎样",
    "几",
    "是否",
    "哪一",
    "为什么",
    "有没有",
)


def _unit_kind(name: str) -> str:
    return unit_suffix(name) or ""


def _strip_lead(text: str, leads: Sequence[str]) -> tuple[str, str]:
    for lead in leads:
        if text.startswith(lead):
            return lead, text[len(lead) :]
    return "", text


def _resolved_history(history: Sequence[tuple[str, str]]) -> list[str]:
    """Earlier questions as they were searched: each follow-up rewritten in turn."""
    resolved: list[str] = []
    for past_question, _ in history:  # answers are not needed to resolve what was asked
        previous = [(q, "") for q in resolved]
        rewritten = rewrite_follow_up(past_question, previous) if previous else None
        resolved.append(rewritten or past_question)
    return resolved


def rewrite_follow_up(question: str, history: Sequence[tuple[str, str]]) -> str | None:
    """The follow-up ``question`` made self-contained with the previous question, or
    ``None`` when it is not a follow-up (no history, or a full question of its own).

    - “那湖北路街道呢？” after “东风路街道的常住人口有多少？” →
      “湖北路街道的常住人口有多少？” (a named unit replaces the one of the same kind);
    - “它有多少个社区？” after “湖北路街道有多少家驻区单位？” →
      “湖北路街道有多少个社区？” (a pronoun stands for the previous subject);
    - “还有楼栋党小组呢？” after “涧西区建了多少个网格党支部？” →
      “涧西区建了多少个网格党支部和楼栋党小组？” (a new thing joins the predicate);
    - “具体包括哪几个方面？” after “开元路街道在推进什么？” →
      “开元路街道在推进什么，具体包括哪几个方面？” (asking for detail).
    """
    if not history:
        return None
    text = question.strip()
    core = _TRAILING.sub("", text)
    if not core or len(core) > _MAX_FOLLOW_UP_CHARS:
        return None
    previous = _resolved_history(history)[-1]
    previous_core = _TRAILING.sub("", previous.strip())
    ending = previous.strip()[len(previous_core) :] or "？"

    pronoun, rest = _strip_lead(core, _PRONOUN_LEADS)
    if pronoun:
        subjects = named_units(previous_core)
        if not subjects:
            return None
        return f"{subjects[0]}{rest}{ending}"

    elaboration, _ = _strip_lead(core, _ELABORATION_LEADS)
    if elaboration and not named_units(core):
        # “具体包括哪几个方面？” asks more about the previous question's answer
        return f"{previous_core}，{core}{ending}"

    lead, rest = _strip_lead(core, _FOLLOW_UP_LEADS)
    asks_alone = text.endswith(("呢", "呢？", "呢?"))
    if not (lead or asks_alone) or not rest:
        return None
    if any(cue in rest for cue in _PREDICATE_CUES) and not asks_alone:
        return None  # “那东风路街道有多少人口？” is a full question already

    new_units = named_units(rest) or ([rest] if _unit_kind(rest) and len(rest) <= 12 else [])
    old_units = named_units(previous_core)
    for new in new_units:
        for old in old_units:
            if _unit_kind(new) and _unit_kind(new) == _unit_kind(old) and new != old:
                return previous_core.replace(old, new) + ending
    if new_units and old_units and rest in new_units:
        # a unit of another kind: ask the same of it (“那涧西区呢？” after a 街道 question)
        return previous_core.replace(old_units[0], rest, 1) + ending
    if new_units and not old_units:
        return f"{rest}{_predicate_of(previous_core)}{ending}"
    return f"{previous_core}和{rest}{ending}"


def _predicate_of(question: str) -> str:
    """The question without a leading subject up to its first 的 (“…的常住人口有多少”)."""
    head, sep, tail = question.partition("的")
    return f"的{tail}" if sep and len(head) <= 12 else question


# -- answering --------------------------------------------------------------------


def answer_question(
    question: str,
    *,
    searcher: Searcher,
    generator: Generator,
    history: Sequence[tuple[str, str]] = (),
    filters: SearchFilters | None = None,
    k: int = 8,
) -> Answer:
    """Answer ``question`` from the knowledge base with cited sentences, or refuse.

    ``history`` holds earlier ``(question, answer)`` turns, oldest first; a
    follow-up is rewritten with them before retrieval (``Answer.rewritten_query``).
    Raises ``ValueError`` for an empty question.
    """
    query, rewritten = _query_for(question, history)
    hits = searcher.search(query, k=k, filters=filters)
    log.info("answering %r with %d hits (query %r)", question, len(hits), query)
    answer = _answer_from(query, hits, searcher, generator, history, filters, k)
    return replace(answer, question=question, rewritten_query=rewritten)


def _answer_from(
    query: str,
    hits: Sequence[Hit],
    searcher: Searcher,
    generator: Generator,
    history: Sequence[tuple[str, str]],
    filters: SearchFilters | None,
    k: int,
) -> Answer:
    """The generator's answer from ``hits``; when it asks for a sanction or a recourse it
    does not quote, or refuses a part of the question, the answer read with the articles
    a further look finds (``_LOOKS``, ``_second_look``), when they answer more."""

    def generate(read: Sequence[Hit]) -> Answer:
        return generator.generate(query, read, history=history)

    answer = generate(hits)
    for look in _LOOKS:
        answer, hits = _with_look(look, query, answer, hits, searcher, generate, filters, k)
    if answer.refused or not answer.unanswered:
        return answer
    more = _second_look(query, hits, searcher, filters)
    if not more:
        return answer
    second = generate(_read_with(hits, more, k))
    if second.refused or len(second.unanswered) >= len(answer.unanswered):
        return answer  # no part more answered: the first answer, without the extra articles
    log.info(
        "second look for %r answered %s", query, set(answer.unanswered) - set(second.unanswered)
    )
    return second


def _read_with(hits: Sequence[Hit], more: Sequence[Hit], k: int) -> list[Hit]:
    """``hits`` with the looked-up articles ``more`` in the places of the last-ranked
    ones, within the ``k`` read."""
    at = max(0, min(len(hits), k) - len(more))
    return [*hits[:at], *more, *hits[at:]]


@dataclass(frozen=True)
class _Look:
    """A further look within the answer's first statute for articles of one kind that
    a question asks for (``asks``) and the first answer does not quote (``states``):
    ``words`` are what is searched there, of whose first ``k`` hits at most ``most``
    of the kind are read with the hits."""

    kind: str
    asks: Callable[[str], bool]
    states: Callable[[str], bool]
    words: Callable[[str, Sequence[Citation]], str]
    k: int
    most: int


def _quoted_words(query: str, quoted: Sequence[Citation]) -> str:
    """The first 200 characters the answer quotes from its first statute: a sanction
    article restates the act it punishes (第二十一条 使用明火作业 … 第六十三条
    违反规定使用明火作业…处警告或者五百元以下罚款), which the question's words do not find."""
    return "".join(c.excerpt for c in quoted)[:200]


def _question_words(query: str, quoted: Sequence[Citation]) -> str:
    """The question itself: a remedy article (…不服的，可以依法申请行政复议) is written for
    every decision of its statute and shares few of any one question's words, so it is
    looked for further down that statute's ranking."""
    return query


def _reporting_words(query: str, quoted: Sequence[Citation]) -> str:
    """The words every article that grants the right to report writes (有权…举报、投诉、
    检举、控告): the question tells the wrong done, and the statute's articles on that
    wrong rank before its reporting article for the question's words."""
    return "有权举报、投诉、检举、控告"


# The sanction look (没办就干了会怎样): the quoted words, of whose first eight hits at most
# two set a sanction. Measured on every answer set: one procedure gained (→ 第六十三条),
# no other answer changed.
# The remedy look (觉得决定不合理，能走什么途径): the question, of whose first sixteen hits
# at most two state a remedy (``states_remedy``). Measured on every answer set: one
# fact gained (民政部门的救助决定不合理 → 第六十五条, ranked 14th), no other answer changed.
# The report look (可以去哪儿反映): the words of a reporting article, of whose first eight
# hits at most two grant the right to report (``states_reporting``). Measured with the
# generator's own reading of such questions (``answers_recourse``): one procedure gained,
# none lost.
_LOOKS = (
    _Look("sanction", asks_sanction, states_sanction, _quoted_words, k=8, most=2),
    _Look("remedy", *RECOURSE_KINDS["remedy"], _question_words, k=16, most=2),
    _Look("report", *RECOURSE_KINDS["report"], _reporting_words, k=8, most=2),
)


def _with_look(
    look: _Look,
    query: str,
    answer: Answer,
    hits: Sequence[Hit],
    searcher: Searcher,
    generate: Callable[[Sequence[Hit]], Answer],
    filters: SearchFilters | None,
    k: int,
) -> tuple[Answer, Sequence[Hit]]:
    """An answer to a question that asks for ``look``'s kind of article (a sanction for
    没办就干了会怎样, a remedy for 不服怎么办) and quotes none: the answer read with the
    articles of its first statute that ``look`` finds, when it then quotes one; otherwise
    the answer and the hits as they were."""
    if answer.refused or not look.asks(query) or _quotes(answer, look.states):
        return answer, hits
    quoted = [c for c in answer.citations if c.article]
    if not quoted:
        return answer, hits
    doc = quoted[0].doc_id
    scoped = replace(filters or SearchFilters(), doc_ids=(doc,))
    words = look.words(query, [c for c in quoted if c.doc_id == doc])
    seen = {h.chunk_id for h in hits}
    found = searcher.search(words, k=look.k, filters=scoped)
    more = [h for h in found if h.article and h.chunk_id not in seen and look.states(h.text)]
    more = more[: look.most]
    if not more:
        return answer, hits
    read = _read_with(hits, more, k)
    second = generate(read)
    if second.refused or not _quotes(second, look.states):
        return answer, hits
    log.info("%s look for %r quoted %s", look.kind, query, [h.article for h in more])
    return second, read


def _quotes(answer: Answer, states: Callable[[str], bool]) -> bool:
    return any(c.article and states(c.excerpt) for c in answer.citations)


def _second_look(
    query: str, hits: Sequence[Hit], searcher: Searcher, filters: SearchFilters | None
) -> list[Hit]:
    """Articles a question's asking clauses find on their own (罢免后空出来的位子怎么办 →
    第十九条 …成员出缺，可以由村民会议…进行补选), in the statutes retrieval ranks among the
    first hits: the whole question's words rank the articles of its other parts first.
    At most ``_SECOND_LOOK_HITS``, in clause order."""
    statutes = {h.doc_id for h in hits[:_SECOND_LOOK_FROM] if h.article}
    if not statutes:
        return []
    seen = {h.chunk_id for h in hits}
    more: list[Hit] = []
    for clause in asking_clauses(query):
        for hit in searcher.search(clause, k=_SECOND_LOOK_K, filters=filters):
            if hit.article and hit.doc_id in statutes and hit.chunk_id not in seen:
                seen.add(hit.chunk_id)
                more.append(hit)
    return more[:_SECOND_LOOK_HITS]


# The second look: the statutes of the first three hits; each clause's first six hits;
# at most three articles, in place of the last-ranked hits. Measured on every answer set:
# one row gained, none lost (with five or six hits per clause; four found no answering
# article). Taking the second answer whatever it answers gained one more row but put
# articles that answer nothing into seven others: it is taken only when it answers more.
_SECOND_LOOK_FROM = 3
_SECOND_LOOK_K = 6
_SECOND_LOOK_HITS = 3


def stream_answer(
    question: str,
    *,
    searcher: Searcher,
    generator: Generator,
    history: Sequence[tuple[str, str]] = (),
    filters: SearchFilters | None = None,
    k: int = 8,
) -> Iterator[dict[str, Any]]:
    """Like ``answer_question``, as events: ``delta``\\* → ``citations`` → ``done``.

    The ``citations`` event carries the whole checked answer (see
    ``answer.generator``); when retrieval fails the stream is one ``error``
    event instead. Raises ``ValueError`` for an empty question before streaming.
    """
    query, rewritten = _query_for(question, history)
    return _stream(question, query, rewritten, searcher, generator, history, filters, k)


def _stream(
    question: str,
    query: str,
    rewritten: str | None,
    searcher: Searcher,
    generator: Generator,
    history: Sequence[tuple[str, str]],
    filters: SearchFilters | None,
    k: int,
) -> Iterator[dict[str, Any]]:
    try:
        hits = searcher.search(query, k=k, filters=filters)
    except Exception as exc:  # the stream has started: failures travel as events
        log.exception("search failed for %r", query)
        yield {"type": "error", "message": f"检索失败：{exc}"}
        return
    # an extractive answer is whole before its first sentence: it may take its second look
    events = (
        stream_events(_answer_from(query, hits, searcher, generator, history, filters, k))
        if generator.extractive
        else generator.stream(query, hits, history=history)
    )
    for event in events:
        if event.get("type") == "citations":
            answer = replace(event["answer"], question=question, rewritten_query=rewritten)
            event = {**event, "answer": answer}
        yield event


def _query_for(question: str, history: Sequence[tuple[str, str]]) -> tuple[str, str | None]:
    text = (question or "").strip()
    if not text:
        raise InvalidRequestError("问题不能为空 / the question must not be empty")
    rewritten = rewrite_follow_up(text, history)
    if rewritten:
        log.info("follow-up %r rewritten as %r", text, rewritten)
    return rewritten or text, rewritten
