"""The embedded default generator: an answer made of the corpus's own sentences.

No LLM: the retrieved passages are cut into sentences, each scored against the
question (query-word and character-bigram coverage plus embedding similarity),
near-duplicates dropped, the best few kept and ordered (documents by their best
sentence, sentences of one document in document order). Every sentence carries
the number of the passage it was taken from, so nothing is said that a source
does not say. A statute answers with its article (a long one with the 款 that
answers, after its lead-in); a procedure with the articles of that one statute,
in article order. A question of several parts gets each part's answering
sentence, and a part nothing answers is refused on its own. When even the best
evidence is weak, or the question names a place the evidence never mentions,
the answer is the refusal.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from answer.answerability import (
    FOCUS_MIN,
    QuestionFocus,
    SentenceCheck,
    answers_recourse,
    area_kinds,
    asks_recourse,
    check_sentence,
    enforce,
    front_matter,
    gives_recourse,
    in_agreed_article,
    labelled_refusal,
    leans_on_missing,
    named_title,
    parts_of,
    passes_clause,
    read_with_evidence,
    refusal_text,
    related_passages,
)
from answer.citations import SentenceSupport, number_citations
from answer.generator import refusal, stream_events
from answer.sentence_vectors import SentenceVectorCache
from answer.types import Answer, AnswerSentence
from retrieval.lexicon import default_lexicon
from retrieval.types import Embedder, Hit
from textcore import (
    CLOSERS,
    PAUSE_MARKS,
    SENTENCE_FINAL,
    Numbering,
    char_bigrams,
    content_chars,
    heading_mark,
    heading_number,
    idf_table,
    jaccard,
    named_units,
    parse_cn_numeral,
    segment,
    split_lines,
    split_sentences,
    unit_suffix,
)
from textcore.articles import states_sanction
from textcore.questions import (
    AnswerType,
    answer_types,
    asks_hours,
    asks_permission,
    asks_sanction,
)

__all__ = ["EvidenceAssessment", "ExtractiveGenerator", "assess_evidence", "query_terms"]

log = logging.getLogger(__name__)

# Refusal threshold on the best sentence's score (see ``_sentence_score``).
# bench/calibrate_refusal.py on the sample corpus (multilingual-e5-small, k=8):
# the 40 dev questions score 0.544–1.030 and none names an unknown place; of 30
# off-topic questions 10 are refused for naming a place the evidence never
# mentions and the other 20 score 0.265–0.450. The midpoint of the gap is 0.497,
# a margin of ~0.05 on either side; 0.50 is that, rounded.
REFUSAL_THRESHOLD = 0.50

# Words that make a question a question; they say nothing about its topic.
_QUESTION_WORDS = frozenset(
    [
        "什么", "哪些", "哪个", "哪几个", "哪几", "哪", "多少", "几", "几个", "怎么", "怎样",
        "如何", "是否", "吗", "呢", "为什么", "谁", "哪里", "多久", "多长", "分别", "具体",
        "包括", "一共", "共", "有", "是", "的", "了", "在", "和", "与", "及", "其中", "哪一年",
        "何时", "方面", "可以", "能", "都", "还", "又", "也", "被", "把", "对", "给", "从",
        "怎么样", "请问", "介绍", "一下", "情况", "相关", "主要", "哪些方面", "时候",
        "多大", "多", "个", "这", "那", "这个", "那个", "我", "你", "他们", "它", "其",
    ]
)  # fmt: skip
_QUANTITY_CUES = ("多少", "几", "多大", "多久", "多长", "规模", "比例", "人数")
_DATE_CUES = ("哪一年", "哪年", "何时", "什么时候", "时间")
_HAS_NUMBER = re.compile(r"[0-9０-９]|[一二三四五六七八九十百千万两]+[个名家户次场项年天人]")
# Shorter sentences are fragments (headings, datelines) in news; a statute's are
# whole rules or list items (严禁谎报火警。（四）谎报火警的；), read with their lead-in.
_MIN_SENTENCE_CHARS = 8
_MIN_STATUTE_CHARS = 4


def query_terms(question: str) -> list[str]:
    """The content words of a question (jieba), question words and punctuation removed."""
    words = []
    for word in segment(content_chars(question)):
        if word in _QUESTION_WORDS:
            continue
        if len(word) < 2 and not word.isascii():
            continue
        words.append(word)
    return list(dict.fromkeys(words))


def _query_bigrams(question: str) -> set[str]:
    # bigrams of the content words only, so 多少/哪些 match nothing by accident
    grams: set[str] = set()
    for word in query_terms(question):
        grams |= char_bigrams(word) if len(word) > 1 else {word}
    return grams


@dataclass(frozen=True)
class _Candidate:
    hit_index: int
    start: int  # offsets into hits[hit_index].text
    end: int
    text: str
    lexical: float
    dense: float
    score: float


@dataclass(frozen=True)
class EvidenceAssessment:
    """How well the retrieved evidence covers a question (what the refusal decides on)."""

    best_score: float
    best_dense: float
    best_lexical: float
    missing_places: tuple[str, ...]

    def answerable(self, threshold: float = REFUSAL_THRESHOLD) -> bool:
        return not self.missing_places and self.best_score >= threshold


def _place_mentioned(place: str, evidence: str) -> bool:
    """``洛阳涧西区`` counts as mentioned when ``涧西区`` is: leading characters may be
    dropped as long as two remain before the unit word (``路街道`` alone is no name)."""
    suffix = unit_suffix(place)
    min_len = len(suffix) + 2 if suffix else 3
    return any(place[i:] in evidence for i in range(0, max(1, len(place) - min_len + 1)))


class ExtractiveGenerator:
    """Answers with the best-matching sentences of the retrieved passages.

    ``max_sentences``/``max_chars`` bound the answer; ``threshold`` is the evidence
    score below which it refuses (``REFUSAL_THRESHOLD``, calibrated on the dev set).
    ``sentence_vectors``: where sentence vectors are kept (default: in memory only).
    """

    def __init__(
        self,
        embedder: Embedder,
        *,
        max_sentences: int = 4,
        max_chars: int = 300,
        threshold: float = REFUSAL_THRESHOLD,
        max_hits: int = 8,
        max_embedded: int = 40,
        sentence_vectors: SentenceVectorCache | None = None,
    ) -> None:
        if max_sentences < 1:
            raise ValueError(f"max_sentences must be at least 1, got {max_sentences}")
        self._embedder = embedder
        self._max_sentences = max_sentences
        self._max_chars = max_chars
        self._threshold = threshold
        self._max_hits = max_hits
        self._max_embedded = max_embedded
        self._sentence_vectors = (
            SentenceVectorCache(embedder) if sentence_vectors is None else sentence_vectors
        )

    @property
    def name(self) -> str:
        return "extractive"

    @property
    def extractive(self) -> bool:
        return True

    def generate(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Answer:
        """A cited answer from ``hits``, or the refusal when they do not answer ``question``.

        ``history`` is not used: follow-ups are resolved before retrieval."""
        hits = list(hits)[: self._max_hits]
        candidates = self._score(question, hits)
        focus = read_with_evidence(question, hits)
        assessment = _assess(question, hits, candidates, focus.areas)
        chosen: list[_Candidate] = []
        unanswered: list[QuestionFocus] = []
        weak = not assessment.answerable(self._threshold)
        if (
            weak
            and not assessment.missing_places
            and hits
            and hits[0].article
            and assessment.best_score >= self._threshold - _COVERED_MARGIN
        ):
            # a question in everyday words scores low against a statute's wording even
            # when the article retrieval ranks first states what it asks: it is answered
            # when that article's sentence holds the question's focus and every part of
            # it is answered (有人拎着一桶汽油想上公交车，这样可以吗？: 禁止…携带易燃易爆
            # 危险品…乘坐公共交通工具, scored 0.003 under the threshold)
            chosen, unanswered = self._select(focus, candidates, hits)
            weak = bool(unanswered) or not any(
                c.hit_index == 0 and self._check(focus, c, hits).coverage >= _COVERED_FOCUS
                for c in chosen
            )
        if weak:
            log.info(
                "refusing %r: best score %.3f, missing places %s",
                question,
                assessment.best_score,
                assessment.missing_places,
            )
            if not hits or assessment.missing_places:
                # nothing retrieved, or nothing about the place asked for: nothing near
                return refusal(question, generator=self.name)
            # weak evidence is refused like any other: saying what was looked for,
            # the nearest passages offered to read, never as the answer
            return labelled_refusal(
                focus, generator=self.name, related=related_passages(hits, focus)
            )
        if not chosen:
            chosen, unanswered = self._select(focus, candidates, hits)
        if not chosen:
            log.info("refusing %r: no sentence answers it (looked for %s)", question, focus.label)
            related = related_passages(hits, focus)
            return labelled_refusal(focus, generator=self.name, related=related)
        supports = [SentenceSupport(c.text, (c.hit_index,), ((c.start, c.end),)) for c in chosen]
        sentences, citations = number_citations(supports, hits)
        # the parts of the question nothing answers are refused on their own, after
        # the answer to the rest
        sentences += [AnswerSentence(refusal_text(part)) for part in unanswered]
        answer = Answer(
            question=question,
            sentences=tuple(sentences),
            citations=tuple(citations),
            generator=self.name,
            unanswered=tuple(part.label for part in unanswered),
        )
        return enforce(question, answer, hits)

    def stream(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Iterator[dict[str, Any]]:
        """The same answer as ``generate``, one delta per sentence."""
        yield from stream_events(self.generate(question, hits, history=history))

    def assess(self, question: str, hits: Sequence[Hit]) -> EvidenceAssessment:
        """Score the evidence without composing an answer (for calibration)."""
        hits = list(hits)[: self._max_hits]
        areas = area_kinds(question, hits)
        return _assess(question, hits, self._score(question, hits), areas)

    # -- internals ----------------------------------------------------------------

    def _score(self, question: str, hits: Sequence[Hit]) -> list[_Candidate]:
        pieces: list[tuple[int, int, int, str]] = []
        asks_time = AnswerType.TIME in answer_types(question)
        for index, hit in enumerate(hits):
            if front_matter(hit) and not asks_time:
                # a statute's title and enactment record state no rule: they answer
                # when it was adopted or took effect, nothing else (城市居委会组织法管
                # 不管我们 is answered by 第二十一条, not by the title that names it)
                continue
            shortest = _MIN_STATUTE_CHARS if hit.article else _MIN_SENTENCE_CHARS
            for start, end in split_sentences(hit.text):
                text = _clean_sentence(hit.text[start:end])
                if front_matter(hit) and content_chars(text) == content_chars(hit.title):
                    continue  # the title alone states nothing
                if len(content_chars(text)) >= shortest:
                    pieces.append((index, start, end, text))
        if not pieces:
            return []
        terms = query_terms(question)
        grams = _query_bigrams(question)
        variants = _term_variants(question, terms)
        # a list item (（一）…) is read with the sentence that introduces its list, a
        # statute's sentence with the statute's title when the question names it
        titles = [named_title(question, hit) for hit in hits]
        lexical = [
            _lexical_coverage(
                titles[p[0]] + _with_lead_in_text(hits[p[0]].text, p[1], p[3]),
                terms,
                grams,
                variants,
            )
            for p in pieces
        ]
        # Embedding every sentence of eight passages costs seconds on a small CPU;
        # the lexically best ones (ties: better-ranked passage first) are enough.
        keep = sorted(range(len(pieces)), key=lambda i: (-lexical[i], pieces[i][0], pieces[i][1]))
        keep = sorted(keep[: self._max_embedded])
        pieces = [pieces[i] for i in keep]
        lexical = [lexical[i] for i in keep]
        query_vec = np.asarray(self._embedder.embed_queries([question]))[0]
        sentence_vecs = self._sentence_vectors.vectors([p[3] for p in pieces])
        dense = sentence_vecs @ query_vec
        wants_number = any(cue in question for cue in _QUANTITY_CUES)
        wants_date = any(cue in question for cue in _DATE_CUES)
        candidates = []
        for (index, start, end, text), sim, lex in zip(pieces, dense, lexical, strict=True):
            score = _sentence_score(float(sim), lex)
            if (wants_number or wants_date) and _HAS_NUMBER.search(text):
                score += 0.03
            candidates.append(_Candidate(index, start, end, text, lex, float(sim), score))
        return candidates

    def _select(
        self, focus: QuestionFocus, candidates: Sequence[_Candidate], hits: Sequence[Hit]
    ) -> tuple[list[_Candidate], list[QuestionFocus]]:
        """The answering sentence first, then what supports it; for a list or procedure
        question the items, in document (article) order, each after its lead-in.

        A question of several parts gets each part's answering sentence; the parts
        nothing answers come back second, to be refused on their own."""
        by_score = sorted(candidates, key=lambda c: (-c.score, c.hit_index, c.start))
        ranked = by_score[:_MAX_CHECKED]
        if hits and hits[0].article:
            # every sentence of the statute article retrieval ranks first is checked,
            # however it scores alone: an article's sentences share its topic, and the
            # one that answers (…设人民调解、治安保卫、公共卫生等委员会) may score
            # below its neighbours (…可以兼任下属的委员会的成员)
            ranked += [c for c in by_score[_MAX_CHECKED:] if c.hit_index == 0]
        checks = {id(c): self._check(focus, c, hits) for c in ranked}

        def key(c: _Candidate, check: SentenceCheck | None = None) -> float:
            # a statute's articles are what retrieval ranks (fused dense and BM25 over
            # the article with its chapter): its order counts as evidence too
            prior = _RANK_PRIOR / (1 + c.hit_index) if hits[c.hit_index].article else 0.0
            coverage = (check or checks[id(c)]).sentence_coverage
            return c.score + _LEAD_COVERAGE * coverage + prior + _beyond_band(c.dense)

        passing = [c for c in ranked if checks[id(c)].passed]
        if asks_permission(focus.question) and any(h.article for h in hits):
            # whether one may or must is a rule's to say: where statute articles are
            # among the hits, a report's account of what one place did (与区住建局…积极
            # 对接) does not answer it, and the article retrieval ranks first may
            # answer at its lower coverage (``_agreed``)
            passing = [c for c in passing if hits[c.hit_index].article]
        passing += _agreed(ranked, passing, checks, hits)
        answering = passing
        # a sentence that states the answer itself leads over a list item whose
        # lead-in states it (个人…处五百元以下罚款 over （三）占用…安全出口)
        passing = [c for c in passing if not checks[id(c)].type_from_context] or passing
        # one that answers exactly what was asked leads over one that only holds an
        # answer of its type (报谁批: …报县级人民政府民政部门审批 over a sentence
        # naming 其他人员; 住满多久才能: 居住半年以上 over 15日内制作发放)
        passing = [c for c in passing if checks[id(c)].precise] or passing
        if focus.wants_list and AnswerType.LIST in focus.types:
            # steps are a rule's: where a statute's article answers, a report's account
            # of how one place did it (涧西区探索在业主委员会…成立党的组织) does not lead
            passing = [c for c in passing if hits[c.hit_index].article] or passing
        parts = parts_of(focus)
        # what befalls one who breaks a rule (要是一直不改呢, 会被怎么罚) is answered by the
        # sanction the statute sets (…逾期不改正的，责令停产停业), not by the duty broken
        if asks_sanction(focus.question) and not parts:
            passing = [c for c in passing if _sets_sanction(c, hits)] or passing
        if asks_recourse(focus.question):
            # what one who objects may do, or where one reports a wrong, is the recourse
            # the statute gives (…不服的，可以依法申请行政复议; …有权…检举、控告), not the
            # rule of the decision or the duty broken, which shares more of the
            # question's words (申请最低生活保障…予以批准); it is looked for among all the
            # hits' sentences, however low it scores
            ranked += [
                c
                for c in candidates
                if c not in ranked
                and hits[c.hit_index].article
                and gives_recourse(focus.question, c.text)
            ]
            checks.update(
                {id(c): self._check(focus, c, hits) for c in ranked if id(c) not in checks}
            )
            remedies = [
                c
                for c in ranked
                if answers_recourse(focus, c.text, checks[id(c)], hits[c.hit_index], hits)
            ]
            answering = passing = remedies or passing
        leads = [max(passing, key=key)] if passing else []
        if focus.wants_list and leads:
            leads = [_statute_of_first(leads[0], passing, hits, key)]
        missing: list[QuestionFocus] = []
        for i, clause in enumerate(parts):
            own = {id(c): self._check(clause, c, hits) for c in ranked}
            alone = (
                bool(missing)
                and missing[-1] is parts[i - 1]
                and leans_on_missing(clause, missing[-1])
            )
            answers = [
                c for c in ranked if passes_clause(clause, own[id(c)], checks[id(c)], alone=alone)
            ]
            answers = [c for c in answers if own[id(c)].precise] or answers
            if asks_recourse(clause.question):
                answers = [
                    c
                    for c in ranked
                    if answers_recourse(clause, c.text, own[id(c)], hits[c.hit_index], hits)
                ] or answers
            if asks_sanction(clause.question):
                answers = [c for c in answers if _sets_sanction(c, hits)] or answers
            if any(c in answers for c in leads):
                continue
            if answers:
                keyed = [(key(c, own[id(c)]), -i) for i, c in enumerate(answers)]
                leads.append(answers[-max(keyed)[1]])
            else:
                missing.append(clause)
        if (
            missing
            and focus.local
            and any(set(part.types) & _LOCAL_FACTS or asks_hours(part.question) for part in missing)
        ):
            # 我们区的婚姻登记处在哪儿？周六能去领证吗？: the local fact asked is not
            # there, and the rest asks about the same local office, which a general
            # rule does not answer either
            return [], missing
        if not leads or (missing == list(parts) and parts and not checks[id(leads[0])].typed):
            # no part of the question has an answer of its own, and the whole passes
            # only on its yes/no part (设在哪儿？晚上能直接送过去吗？): nothing answered
            return [], missing
        lead = leads[0]
        if hits[lead.hit_index].article:
            if not focus.wants_list:
                leads = [*leads, *_second_reading(lead, answering, checks, hits, key)]
            # a question of one part asks for one sequence of steps (see ``_next_step``)
            in_sequence = not parts
            answer = self._statute_answer(focus, leads, ranked, checks, hits, key, in_sequence)
            return answer, missing
        required: list[_Candidate] = [c for c in leads[1:] if c is not lead]
        if focus.wants_list or len(focus.units) > 1:
            pool = [c for c in ranked if _supports(checks[id(c)])]
            limit, floor = self._max_sentences + 1, lead.score - _LIST_MARGIN
            # a question about two units needs each one's answering sentence: the one
            # that answers (the asked type, the focus covered) before one that only
            # supports, then as the lead is chosen (score and focus coverage)
            for unit in focus.units:
                if unit not in checks[id(lead)].subjects:
                    about = [
                        c
                        for c in ranked
                        if unit in checks[id(c)].subjects
                        and checks[id(c)].type_ok
                        and _supports(checks[id(c)])
                    ]
                    if about:
                        required.append(max(about, key=lambda c: (checks[id(c)].passed, key(c))))
            if AnswerType.LIST in focus.types:
                # the items often follow the sentence that names the list (升级为…积分
                # 管理制。分为基础积分、贡献加分…): the lead's next sentence comes with
                # it when it supports the answer, whatever its own score
                after = _next_sentence_start(lead, hits)
                required += [
                    c
                    for c in ranked
                    if (c.hit_index, c.start) == (lead.hit_index, after)
                    and checks[id(c)].type_ok
                    and _supports(checks[id(c)])
                ][:1]
        else:
            same_doc = hits[lead.hit_index].doc_id
            pool = [
                c
                for c in ranked
                if hits[c.hit_index].doc_id == same_doc and _supports(checks[id(c)])
            ]
            if front_matter(hits[lead.hit_index]):
                # a statute's record of its making answers when it was made, alone: its
                # articles say nothing more about that
                pool = []
            limit, floor = _FACT_SENTENCES, lead.score - _SUPPORT_MARGIN
        chosen = list(dict.fromkeys([lead, *required]))
        limit = max(limit, len(chosen))
        used_chars = sum(len(c.text) for c in chosen)
        for cand in pool:
            if len(chosen) >= limit:
                break
            if cand in chosen or cand.score < floor:
                continue
            grams = char_bigrams(cand.text)
            if any(jaccard(grams, char_bigrams(c.text)) > 0.6 for c in chosen):
                continue
            if used_chars + len(cand.text) > self._max_chars * (2 if focus.wants_list else 1):
                continue
            chosen.append(cand)
            used_chars += len(cand.text)
        if focus.wants_list or len(focus.units) > 1 or len(leads) > 1:
            chosen = _reading_order(chosen, hits)
        return _with_lead_ins(chosen, hits), missing

    def _statute_answer(
        self,
        focus: QuestionFocus,
        leads: Sequence[_Candidate],
        ranked: Sequence[_Candidate],
        checks: dict[int, SentenceCheck],
        hits: Sequence[Hit],
        key: Callable[[_Candidate], float],
        in_sequence: bool = False,
    ) -> list[_Candidate]:
        """A statute answers with its articles: the lead's article (or, when long,
        the 款 that holds the lead, after its lead-in); for a procedure or a
        question of several parts also the other articles of the same statute
        that support the answer, all in article order. Nothing from another
        document: a news sentence does not belong among a statute's steps.
        ``in_sequence``: the question asks for one sequence of steps (it has one
        part), which the statute writes in consecutive articles (see ``_next_step``),
        in up to ``_MAX_ARTICLES``; a question of several parts takes up to
        ``_MAX_ARTICLES_PARTS``."""
        lead = leads[0]
        best: dict[int, _Candidate] = {}
        for cand in leads:  # each part's answering article, whichever statute it is in
            best.setdefault(cand.hit_index, cand)
        if focus.wants_list:
            # the other steps: the statute's articles in the order retrieval ranked
            # them (fused dense and BM25 over the whole article: a paraphrased step
            # shares more with its article than any one sentence of it does), each
            # with a sentence that supports the answer, within the length budget
            budget = self._max_chars * _STEPS_BUDGET - sum(
                _unit_chars(hits[i], [best[i]]) for i in best
            )
            supporting: dict[int, _Candidate] = {}
            for cand in sorted(ranked, key=key, reverse=True):
                if _supports(checks[id(cand)]) or (
                    in_sequence and _step_of_lead_chapter(cand, lead, checks[id(cand)], hits)
                ):
                    supporting.setdefault(cand.hit_index, cand)
            same_doc = hits[lead.hit_index].doc_id
            sizes = {
                i: _unit_chars(hits[i], [c])
                for i, c in supporting.items()
                if hits[i].article and hits[i].doc_id == same_doc
            }
            # a run of steps grows from a lead retrieval also ranks near the top; from
            # a lead it ranks low, its neighbours are no better evidence than the
            # articles it ranks first
            grow = in_sequence and lead.hit_index < _RUN_FROM_RANK
            # a statute writes one institution's procedure in one chapter (社会救助暂行
            # 办法 第五章 医疗救助): the chapters of the answering articles come first;
            # another chapter's article that shares the question's words is another
            # procedure (第九章 临时救助), taken only when those chapters have no more
            chapters = {_chapter(hits[i]) for i in best} - {""}
            # a question of several parts (not one sequence) asks for articles of each
            most = _MAX_ARTICLES if in_sequence else _MAX_ARTICLES_PARTS
            while len(best) < most:
                fitting = [i for i in sorted(sizes) if i not in best and sizes[i] <= budget]
                if not fitting:
                    break
                fitting = [i for i in fitting if _chapter(hits[i]) in chapters] or fitting
                index = _next_step(fitting, best, lead.hit_index, hits) if grow else fitting[0]
                best[index] = supporting[index]
                budget -= sizes[index]
        chosen: list[_Candidate] = []
        for index in sorted(
            best,
            key=lambda i: (
                hits[i].doc_id != hits[lead.hit_index].doc_id,
                hits[i].doc_id,
                hits[i].start,
                i,
            ),
        ):
            # of a long article, each 款 that holds a supporting sentence
            within = [best[index]]
            if focus.wants_list:
                within += [
                    c
                    for c in ranked
                    if c.hit_index == index
                    and c is not best[index]
                    and c.score >= lead.score - _LIST_MARGIN
                    and _supports(checks[id(c)])
                ]
            chosen += _article_unit(hits[index], within)
        return chosen

    def _check(self, focus: QuestionFocus, cand: _Candidate, hits: Sequence[Hit]) -> SentenceCheck:
        hit = hits[cand.hit_index]
        lead_in = _lead_in(hit.text, cand.start)
        return check_sentence(focus, cand.text, hit, context=lead_in[2] if lead_in else "")


# Answer types of facts about one local office (where it is, its address or phone; its
# hours too, ``asks_hours``): a national text does not state them. (How much or how long
# may be a general rule's: 墓穴能占多大地方 is answered by the statute, whoever asks.)
_LOCAL_FACTS = frozenset((AnswerType.PLACE, AnswerType.ADDRESS, AnswerType.PHONE))


# A question whose best sentence scores this little under the refusal threshold is
# still answered when the first-ranked statute article's sentence that answers it holds
# this share of the question's focus (the share a passing sentence needs is FOCUS_MIN).
# Measured on every answer set: margins of 0.05 and 0.10, and shares of 0.5 and 0.6,
# answer the same rows (one refused row of the policy sets answered; no unanswerable
# row of any set answered).
_COVERED_MARGIN = 0.05
_COVERED_FOCUS = 0.6


# How many of the best-scoring sentences are checked for the answering one.
_MAX_CHECKED = 16
# Weight of focus coverage when choosing the answering sentence among those that
# pass: on the dev sets the sentence scored best is often its neighbour on the same
# topic, while the one that answers covers more of the question's focus.
_LEAD_COVERAGE = 0.5
# Weight of a statute hit's retrieval rank (1/(1+rank)) in choosing the answering
# article: on the policy dev sets the article ranked first holds the answer more
# often than the one whose single sentence scores best (paraphrased questions share
# few words with the answering sentence, more with its article).
_RANK_PRIOR = 0.15
# A fact answer: the answering sentence and at most one that supports it.
_FACT_SENTENCES = 2
# Supporting sentences may score this much below the answering one (the score
# spread between a sentence and its neighbour on the same topic in the dev answers).
_SUPPORT_MARGIN = 0.12
_LIST_MARGIN = 0.2


# A statute article up to this long is quoted whole (the sample statutes' articles:
# median 85 characters, 90 % under 210); a longer one by the 款 that answers.
_WHOLE_ARTICLE_CHARS = 320
# At most this many articles make a procedure answer, within this many times the
# answer length (``max_chars``). A procedure asked in everyday words spans 2–3
# articles, often in different chapters (the duty, the help, the penalty), which
# retrieval ranks among its first five or six. Measured on both policy corpora:
# 3 articles in 2× the length held every gold article for 0 of 7 procedures of the
# second corpus's dev rows; 5 in 3× for 3 of 7, no procedure of any set lost. The
# price is citation precision: more articles are quoted than hold a gold passage.
# A question of several parts (…怎么走人民调解？谁来调、派出所能不能先让他们去调解？)
# asks for the articles of each: up to eight, in the same length. Measured on every
# answer set: four more procedures of several parts hold every gold article (7, 8 and
# 10 read the same: the length binds first), none lost; eight for every question holds
# one more, for procedure answers a quarter longer on average.
_MAX_ARTICLES = 5
_MAX_ARTICLES_PARTS = 8
_STEPS_BUDGET = 3
# A procedure's steps grow from the lead's article along the statute when retrieval
# ranks that article among its first three hits (policy sets: the leads whose
# neighbours hold the missing steps rank 1st–2nd; a lead ranked 4th was a wrong
# turn, the answer then in the article ranked first).
_RUN_FROM_RANK = 3


def _agreed(
    ranked: Sequence[_Candidate],
    passing: Sequence[_Candidate],
    checks: Mapping[int, SentenceCheck],
    hits: Sequence[Hit],
) -> list[_Candidate]:
    """The sentence that passes at the lower coverage of the article retrieval ranks
    first (``in_agreed_article``: two rankings agree on that article): the best-scored
    sentence of all when it stands there; when no sentence passes in full, that
    article's best-scored sentence, wherever it ranks among all (a question told as a
    story, 有户居民做饭忘了关火…会被拘留吗, shares its everyday words with a news
    sentence more than with the article that answers it).

    Policy answer sets: that article's sentence answered 2 questions refused before (one
    on the blind set), and one out-of-scope question (垃圾分类投错了桶会被罚款吗, by a
    消防法 fine), refused since the article must share more with the question than the
    sanction it asks."""
    if not ranked or ranked[0] in passing:
        return []
    tops = [ranked[0]]
    if not passing:
        tops += [c for c in ranked if c.hit_index == 0][:1]
    for top in tops:
        if in_agreed_article(checks[id(top)], hits[top.hit_index], hits):
            return [top]
    return []


def _statute_of_first(
    lead: _Candidate,
    passing: Sequence[_Candidate],
    hits: Sequence[Hit],
    key: Callable[[_Candidate], float],
) -> _Candidate:
    """A procedure's lead from the statute of the article retrieval ranks first, when
    a sentence of that article answers: a procedure's steps are one statute's (see
    ``_statute_answer``), and a lead in another statute takes them from there (居民家里
    失火，火扑灭以后…起火原因谁来定: 消防法 ranked first, while 社会救助暂行办法's
    临时救助 for a family hit by a fire scored best).

    Policy answer sets: one procedure gained, none lost."""
    if hits[lead.hit_index].doc_id == hits[0].doc_id:
        return lead
    return _best_of_first(passing, hits, key) or lead


def _best_of_first(
    candidates: Sequence[_Candidate], hits: Sequence[Hit], key: Callable[[_Candidate], float]
) -> _Candidate | None:
    """The best of ``candidates`` (by ``key``) from the article retrieval ranks first;
    None when none stands there or the first hit is no statute article."""
    if not hits[0].article:
        return None
    first = [c for c in candidates if c.hit_index == 0]
    return max(first, key=key) if first else None


def _second_reading(
    lead: _Candidate,
    answering: Sequence[_Candidate],
    checks: Mapping[int, SentenceCheck],
    hits: Sequence[Hit],
    key: Callable[[_Candidate], float],
) -> list[_Candidate]:
    """Another statute article a fact's answer quotes beside its lead's, when two
    readings of the question disagree and both answer (their sentences pass the check):

    - the lead stands in another article than the one retrieval ranks first: that
      article's best answering sentence;
    - the lead passed only as the agreed article (``in_agreed_article``, below the
      focus share the others need): the best sentence of another article that passes
      in full.

    Policy answer sets: 3 answers gained, none lost; the price is a second article in
    about one statute fact answer in 20."""
    if lead.hit_index != 0:
        best = _best_of_first(answering, hits, key)
        return [best] if best is not None else []
    if checks[id(lead)].passed:
        return []
    others = [
        c
        for c in answering
        if c.hit_index != 0 and hits[c.hit_index].article and checks[id(c)].passed
    ]
    return [max(others, key=key)] if others else []


def _article_number(hit: Hit) -> int | None:
    """第三十二条 → 32; None for a chunk that is no numbered article."""
    inner = hit.article.removeprefix("第").removesuffix("条")
    return parse_cn_numeral(inner) if inner and inner != hit.article else None


def _chapter(hit: Hit) -> str:
    """The chapter an article stands in (``第五章 医疗救助``); "" when its statute has none."""
    return next((h for h in hit.heading_path if _numbered(h, Numbering.CHAPTER)), "")


def _numbered(heading: str, kind: Numbering) -> bool:
    mark = heading_mark(heading)
    return mark is not None and mark.kind is kind


def _next_step(
    candidates: Sequence[int], chosen: Collection[int], lead: int, hits: Sequence[Hit]
) -> int:
    """The next article of a procedure among ``candidates`` (hit indices, best
    retrieval rank first): the best-ranked one next to the run of chosen consecutive
    articles that holds the lead (hit ``lead``), else the best-ranked one. A statute
    writes a procedure's steps in consecutive articles (人民调解法 第三十一条 履行、第三十二条
    起诉、第三十三条 司法确认), while retrieval ranks first the articles that share the
    question's words, often another stage of the same procedure (第二十八条
    制作调解协议书). An article taken by rank is no lead: its neighbours are another
    procedure's (结婚证丢了怎么补: from 第十七条 补领, the run is 第十七条–第十八条; 第九条
    撤销婚姻, taken by rank, would bring 第八条 and 第七条 before 第二十一条 工本费).

    Every answer set: one procedure gained (bg09), none lost; eleven answers changed."""
    run = _run_of(lead, chosen, hits)
    for index in candidates:
        number = _article_number(hits[index])
        if number is not None and {number - 1, number + 1} & run:
            return index
    return candidates[0]


def _run_of(lead: int, chosen: Collection[int], hits: Sequence[Hit]) -> set[int]:
    """The article numbers of the consecutive chosen articles, lead's statute, that
    hold the lead (hit ``lead``); empty when the lead is no numbered article."""
    doc = hits[lead].doc_id
    numbers = {_article_number(hits[i]) for i in chosen if hits[i].doc_id == doc}
    start = _article_number(hits[lead])
    if start is None:
        return set()
    run = {start}
    for step in (1, -1):
        number = start + step
        while number in numbers:
            run.add(number)
            number += step
    return run


def _article_unit(hit: Hit, cands: Sequence[_Candidate]) -> list[_Candidate]:
    """The sentences of an article to answer with: all of a short article; of a
    long one the 款 (lines) that hold ``cands``, each item (（三）…) after the line
    that leads in to its list. The first of ``cands`` is the one that answers."""
    text = hit.text
    cand = cands[0]
    if front_matter(hit):
        return [cand]  # a line of the statute's record, not its title or other lines
    if len(text) <= _WHOLE_ARTICLE_CHARS:
        spans = [(0, len(text))]
    else:
        lines = split_lines(text)
        spans = []
        for c in cands:
            at = next((i for i, (s, e) in enumerate(lines) if s <= c.start < e), 0)
            spans.append(lines[at])
            if heading_number(text[lines[at][0] :].lstrip()) is not None:
                lead_in = next(
                    (
                        line
                        for line in reversed(lines[:at])
                        if heading_number(text[line[0] : line[1]].lstrip()) is None
                    ),
                    None,
                )
                if lead_in is not None:
                    spans.append(lead_in)
    unit = []
    for s, e in split_sentences(text):
        if any(a <= s < b for a, b in spans):
            sentence = _clean_sentence(text[s:e])
            if content_chars(sentence):
                unit.append(_Candidate(cand.hit_index, s, e, sentence, 0.0, 0.0, cand.score))
    return unit or [cand]


def _unit_chars(hit: Hit, cands: Sequence[_Candidate]) -> int:
    """How long the part of an article that answers with ``cands`` is."""
    return sum(len(c.text) for c in _article_unit(hit, cands))


def _next_sentence_start(lead: _Candidate, hits: Sequence[Hit]) -> int:
    """Where the sentence right after ``lead`` starts in its passage (-1: none)."""
    after = (s for s, _ in split_sentences(hits[lead.hit_index].text) if s >= lead.end)
    return next(after, -1)


def _sets_sanction(cand: _Candidate, hits: Sequence[Hit]) -> bool:
    """Whether ``cand`` is a statute's sentence that sets a sanction, itself or by the
    lead-in of its list (有下列行为之一的，…处五千元以上五万元以下罚款：)."""
    hit = hits[cand.hit_index]
    lead_in = _lead_in(hit.text, cand.start)
    return bool(hit.article) and states_sanction((lead_in[2] if lead_in else "") + cand.text)


def _supports(check: SentenceCheck) -> bool:
    """A sentence adds to the answer when it is about the asked units and shares
    at least half of the focus the answering sentence needed."""
    return check.units_ok and check.coverage >= FOCUS_MIN / 2


# A procedure's step stands in the lead's chapter among retrieval's first hits.
_STEP_RANK = 5


def _step_of_lead_chapter(
    cand: _Candidate, lead: _Candidate, check: SentenceCheck, hits: Sequence[Hit]
) -> bool:
    """A sentence is a step of a procedure asked in one sequence when its article stands
    in the lead's chapter, retrieval ranks it among its first ``_STEP_RANK`` hits, and it
    holds a word of the question's focus, however little of it: a short question's
    story words weigh most (两口子商量好离婚，手续怎么办), and a step that writes only
    the topic (…确属自愿离婚…发给离婚证) shares less than ``_supports`` asks.

    Every answer set: one procedure gained (bg08), none lost, at the first 5 or 8 hits
    (3: none); eight answers changed, by 36 characters on average."""
    hit, lead_hit = hits[cand.hit_index], hits[lead.hit_index]
    return (
        cand.hit_index < _STEP_RANK
        and bool(hit.article)
        and hit.doc_id == lead_hit.doc_id
        and _chapter(hit) == _chapter(lead_hit)
        and check.units_ok
        and check.coverage > 0
    )


def _lead_in(text: str, start: int) -> tuple[int, int, str] | None:
    """For a list item (（三）…) starting at ``start``, the sentence that introduces
    the list (the nearest earlier one that is not an item itself), as a span and text."""
    if heading_number(text[start:]) is None:
        return None
    pieces = split_sentences(text[:start])
    for i in reversed(range(len(pieces))):
        s, e = pieces[i]
        if heading_number(text[s:e]) is None:
            # a lead-in cut at its semicolons is one sentence: “…处十日以上十五日以下拘留…；
            # 情节较轻的，处警告或者五百元以下罚款：” states the detention for every item
            while i > 0 and _continues(text, pieces[i - 1]):
                i -= 1
                s = pieces[i][0]
            return s, e, _clean_sentence(text[s:e]).rstrip("。") + "："
    return None


def _continues(text: str, piece: tuple[int, int]) -> bool:
    """Whether ``piece`` is the start of the sentence after it: it ends on a semicolon
    and is no list item."""
    s, e = piece
    return text[s:e].rstrip().endswith(("；", ";")) and heading_number(text[s:e]) is None


def _with_lead_in_text(text: str, start: int, sentence: str) -> str:
    found = _lead_in(text, start)
    return found[2] + sentence if found else sentence


def _with_lead_ins(chosen: Sequence[_Candidate], hits: Sequence[Hit]) -> list[_Candidate]:
    """Each list item right after its lead-in sentence (moved there if chosen too)."""
    result: list[_Candidate] = []
    placed: set[tuple[int, int]] = set()
    for cand in chosen:
        if (cand.hit_index, cand.start) in placed:
            continue
        found = _lead_in(hits[cand.hit_index].text, cand.start)
        if found is not None and (cand.hit_index, found[0]) not in placed:
            s, e, text = found
            result.append(_Candidate(cand.hit_index, s, e, text, 0.0, 0.0, cand.score))
            placed.add((cand.hit_index, s))
        result.append(cand)
        placed.add((cand.hit_index, cand.start))
    return result


def _assess(
    question: str,
    hits: Sequence[Hit],
    candidates: Sequence[_Candidate],
    areas: Collection[str],
) -> EvidenceAssessment:
    """``areas``: the question's words the evidence writes as kinds of area
    (``area_kinds``: 火葬区 for 实行火葬的地区), which are no places."""
    evidence = content_chars("".join(h.text + h.title for h in hits))
    places = [p for p in named_units(question) if p not in areas]
    mentioned = [p for p in places if _place_mentioned(p, evidence)]
    # 郑州市东风路街道: the city is only an address of the street the evidence names
    missing = tuple(
        p
        for p in places
        if p not in mentioned and not any(p + q in content_chars(question) for q in mentioned)
    )
    if not candidates:
        return EvidenceAssessment(0.0, 0.0, 0.0, missing)
    best = max(candidates, key=lambda c: c.score)
    return EvidenceAssessment(best.score, best.dense, best.lexical, missing)


def assess_evidence(
    question: str, hits: Sequence[Hit], *, embedder: Embedder
) -> EvidenceAssessment:
    """How well ``hits`` cover ``question``; the refusal decision of the extractive
    generator, usable before any generator runs."""
    return ExtractiveGenerator(embedder).assess(question, hits)


def _sentence_score(dense: float, lexical: float) -> float:
    """One number per sentence: embedding similarity, rescaled from e5's typical
    0.75–0.92 band of related text, blended with query-word coverage."""
    dense_part = min(max((dense - _BAND_LOW) / (_BAND_HIGH - _BAND_LOW), 0.0), 1.0)
    return 0.5 * dense_part + 0.5 * lexical


# e5's band of related text (see ``_sentence_score``).
_BAND_LOW, _BAND_HIGH = 0.75, 0.92


def _beyond_band(dense: float) -> float:
    """What the sentence score leaves out: similarity above the band, where a
    paraphrased question's answering sentence sits (0.93–0.96) over sentences that
    only share its words. Read in choosing the lead, at the weight of the two
    lexical readings there (the score's word coverage and the focus coverage)."""
    return max(0.0, dense - _BAND_HIGH) / (_BAND_HIGH - _BAND_LOW)


def _term_variants(question: str, terms: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The statute words the domain lexicon gives for each query word (骗低保 →
    骗取社会救助): a passage that writes them holds the word."""
    variants: dict[str, tuple[str, ...]] = {}
    for word, statute_words in default_lexicon().expand(question).matches:
        for term in terms:
            if word in term or term in word:
                variants[term] = variants.get(term, ()) + statute_words
    return variants


def _lexical_coverage(
    text: str,
    terms: Sequence[str],
    grams: set[str],
    variants: dict[str, tuple[str, ...]] | None = None,
) -> float:
    """Share of the query's content words (IDF-weighted; met as themselves or as
    the statute words of the lexicon) and bigrams in ``text``."""
    chars = content_chars(text)
    if not terms or not grams:
        return 0.0
    weights = _term_weights(terms)
    total = sum(weights.values())
    variants = variants or {}
    word_cov = (
        sum(
            w
            for t, w in weights.items()
            if t in chars or any(v in chars for v in variants.get(t, ()))
        )
        / total
    )
    gram_cov = len(grams & char_bigrams(chars)) / len(grams)
    return 0.5 * word_cov + 0.5 * gram_cov


def _term_weights(terms: Sequence[str]) -> dict[str, float]:
    """IDF of each term (jieba's table; unknown words — often names — count as rare),
    so that a question's specific words weigh more than 办理 or 情况."""
    idf, median = idf_table()
    return {t: idf.get(t, median) for t in terms}


def _reading_order(chosen: Sequence[_Candidate], hits: Sequence[Hit]) -> list[_Candidate]:
    """Documents in order of their best sentence; within one document, text order."""
    first_seen: dict[str, int] = {}
    for rank, cand in enumerate(chosen):
        first_seen.setdefault(hits[cand.hit_index].doc_id, rank)
    return sorted(
        chosen,
        key=lambda c: (first_seen[hits[c.hit_index].doc_id], hits[c.hit_index].start + c.start),
    )


_INNER_SPACE = re.compile(r"\s*\n\s*")
_LEADING_MARKS = re.compile(rf"^[\s{PAUSE_MARKS}]+")


def _clean_sentence(text: str) -> str:
    """One line, no dangling leading punctuation, ending like a sentence."""
    text = _LEADING_MARKS.sub("", _INNER_SPACE.sub("", text.strip()))
    if text and text[-1] in PAUSE_MARKS:
        text = text[:-1] + "。"
    elif text and text[-1] not in SENTENCE_FINAL + CLOSERS:
        text += "。"
    return text
