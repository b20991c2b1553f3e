"""A domain lexicon: everyday words of 街道/社区 work and the statute words for them.

Questions say 低保, 物业费, 居委会; laws write 最低生活保障, 物业服务费用, 居民
委员会. The lexicon is data (``retrieval/data/lexicon.tsv``: one line per
everyday word, tab-separated, then the words statutes use), applied to BM25
queries: the statute words are appended to the query, so the keyword index
matches the article while the question's own words keep their weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["Expansion", "Lexicon", "default_lexicon"]


@dataclass(frozen=True)
class Expansion:
    """What the lexicon did to a query: ``matches`` pairs each everyday word
    found in it with the statute words added for it; ``text`` is the query to
    give the keyword index."""

    query: str
    matches: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(term for _, terms in self.matches for term in terms)

    @property
    def text(self) -> str:
        return " ".join((self.query, *self.added)) if self.matches else self.query


class Lexicon:
    """Everyday word → statute words. Longer words win over words inside them
    (居委会 over 委会); a statute word already in the query is not added again."""

    def __init__(self, entries: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        merged: dict[str, list[str]] = {}
        for word, terms in entries:
            merged.setdefault(word, [])
            # A term containing the word adds nothing to a bigram index but noise
            # (街道 → 街道办事处 would only add 办事处).
            merged[word].extend(t for t in terms if word not in t and t not in merged[word])
        # Longest first: the first match at a position takes the characters it covers.
        self._entries = tuple(
            (word, tuple(terms))
            for word, terms in sorted(merged.items(), key=lambda e: (-len(e[0]), e[0]))
            if terms
        )
        self._words = frozenset(word for word, _ in self._entries)

    @classmethod
    def from_tsv(cls, text: str) -> Lexicon:
        """Parse the TSV format: ``#`` comments, one ``word<TAB>term<TAB>term…`` per line."""
        entries = []
        for line_no, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word, *terms = [t.strip() for t in line.split("\t") if t.strip()]
            if not terms:
                raise ValueError(f"lexicon line {line_no}: {word!r} has no statute word")
            entries.append((word, tuple(terms)))
        return cls(tuple(entries))

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        return cls.from_tsv(Path(path).read_text(encoding="utf-8"))

    def __len__(self) -> int:
        return len(self._entries)

    def knows(self, word: str) -> bool:
        """Whether ``word`` is one of the everyday words the lexicon gives statute words for."""
        return word in self._words

    def expand(self, query: str) -> Expansion:
        """The statute words for the everyday words in ``query``."""
        taken = [False] * len(query)
        matches = []
        added: set[str] = set()
        for word, terms in self._entries:
            start = query.find(word)
            while start != -1 and any(taken[start : start + len(word)]):
                start = query.find(word, start + 1)
            if start == -1:
                continue
            for i in range(start, start + len(word)):
                taken[i] = True
            new = tuple(t for t in terms if t not in query and t not in added)
            added.update(new)
            if new:
                matches.append((word, new))
        # Report in query order, as a reader scans the question.
        matches.sort(key=lambda m: query.find(m[0]))
        return Expansion(query, tuple(matches))


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with the package (``retrieval/data/lexicon.tsv``)."""
    text = resources.files("retrieval").joinpath("data/lexicon.tsv").read_text(encoding="utf-8")
    return Lexicon.from_tsv(text)
