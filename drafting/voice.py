"""Author voice: a sentence lifted from a news report, rewritten as the unit's own text.

The rules are data (``drafting/data/voice.toml``) and deterministic:

- the unit's bodies lose its name (湖北路街道党工委 → 街道党工委), and the unit, by its
  full name or as 该街道, becomes the document type's self-name (我街道); in a sentence
  that also names another unit of the same kind the unit is 我街道 (湖北路街道办事处 →
  我街道), never a bare 街道党工委 that could be either;
- news framing is removed: a dateline (…网讯), reporter openers (据了解，近日，);
- a connective that tied the sentence to its old neighbour (另外，同时，此外) is dropped;
- relative years (今年，去年) become the year counted from the source's date; without a
  date, a leading one is left out and a sentence that needs one is refused (None).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from textcore import CJK_RANGES, local_place, named_units

__all__ = ["Voice", "unit_kind", "voice_for"]


@dataclass(frozen=True)
class _Rules:
    kinds: tuple[str, ...]
    bodies: tuple[str, ...]
    self_name: dict[str, str]
    short_bodies: dict[str, bool]
    datelines: tuple[re.Pattern[str], ...]
    openers: tuple[str, ...]
    connectives: tuple[str, ...]
    relative_years: dict[str, int]


@cache
def _rules() -> _Rules:
    data = tomllib.loads(
        resources.files("drafting").joinpath("data", "voice.toml").read_text(encoding="utf-8")
    )
    framing = data["framing"]
    return _Rules(
        kinds=tuple(data["kinds"]),
        bodies=tuple(data["bodies"]),
        self_name=dict(data["self_name"]),
        short_bodies=dict(data["short_bodies"]),
        datelines=tuple(re.compile(p) for p in framing["datelines"]),
        openers=tuple(framing["openers"]),
        connectives=tuple(data["connectives"]),
        relative_years=dict(data["relative_years"]),
    )


def unit_kind(unit: str) -> str:
    """The kind a unit name ends with (街道, 社区, 镇, 乡), or "" when none."""
    for kind in _rules().kinds:
        if unit.endswith(kind):
            return kind
    return ""


def _core_name(unit: str) -> str:
    """The unit's own name without a district prefix or a body (涧西区湖北路街道办事处 →
    湖北路街道)."""
    unit = re.sub(r"\s+", "", unit)
    for body in _rules().bodies:
        if unit.endswith(body) and len(unit) > len(body) + 2:
            unit = unit[: -len(body)]
            break
    return local_place(unit) or unit


@dataclass(frozen=True)
class Voice:
    """The voice rules for one unit and document type (build with ``voice_for``)."""

    name: str  # the unit's own name: 湖北路街道
    kind: str  # 街道
    self_name: str  # 我街道 (or the name, where the type reports on the unit)
    short_bodies: bool

    def rewrite(self, sentence: str, *, source_date: str | None = None) -> str | None:
        """``sentence`` in the unit's voice, or None when it cannot be said without
        a fact the source does not give (a relative year and no date)."""
        text = self.strip_framing(sentence)
        text = self.drop_connective(text)
        resolved = self.resolve_years(text, source_date)
        if resolved is None:
            return None
        return self.own_voice(resolved)

    # Each rule on its own, for tests and for text that needs only one of them.

    def strip_framing(self, text: str) -> str:
        rules = _rules()
        for pattern in rules.datelines:
            text = pattern.sub("", text, count=1)
        openers = "|".join(map(re.escape, rules.openers))
        text = re.sub(f"^(?:{openers})[，,、\\s]*", "", text)
        return re.sub(f"([，,；;])(?:{openers})[，,、\\s]*", r"\1", text)

    def drop_connective(self, text: str) -> str:
        connectives = "|".join(map(re.escape, _rules().connectives))
        # Only with its comma: "同时也有更高的诉求" needs its 同时.
        return re.sub(f"^(?:{connectives})[，,]\\s*", "", text)

    def resolve_years(self, text: str, source_date: str | None) -> str | None:
        years = _rules().relative_years
        words = "|".join(map(re.escape, sorted(years, key=len, reverse=True)))
        pattern = re.compile(f"({words})")
        if not pattern.search(text):
            return text
        match = re.match(r"(\d{4})", source_date or "")
        if match:
            base = int(match.group(1))
            return pattern.sub(lambda m: f"{base + years[m.group(1)]}年", text)
        # No date: a leading "今年，" / "今年以来，" can go; elsewhere the year is needed.
        text = re.sub(f"^(?:{words})(?:以来)?[，,]", "", text)
        return None if pattern.search(text) else text

    def own_voice(self, text: str) -> str:
        if not self.name or not self.kind:
            return text
        others = [u for u in named_units(text) if u.endswith(self.kind) and u != self.name]
        # Beside another 街道, a bare 街道党工委 would be ambiguous: the unit stays 我街道.
        short = self.short_bodies and not any(
            not u.startswith(("该", "本", "我", "全", "各")) for u in others
        )
        # A document's name in 《》 is quoted as issued: only the text around it changes.
        parts = re.split(r"(《[^《》]*》)", text)
        return "".join(p if p.startswith("《") else self._own_voice_part(p, short) for p in parts)

    def _own_voice_part(self, text: str, short_bodies: bool) -> str:
        name = re.escape(self.name)
        # "洛龙区开元路街道" at a clause start: the unit does not name its own district.
        text = re.sub(
            f"(^|[，,。；;：:、“（(])(?:[{CJK_RANGES}]{{1,4}}市)?[{CJK_RANGES}]{{1,3}}[区县]{name}",
            f"\\1{self.name}",
            text,
        )
        if short_bodies:
            bodies = "|".join(map(re.escape, _rules().bodies))
            text = re.sub(f"{name}(?:办事处)?({bodies})", f"{self.kind}\\1", text)
        text = re.sub(f"{name}(?:办事处)?", self.self_name, text)
        return text.replace(f"该{self.kind}", self.self_name)


def voice_for(unit: str, doc_type: str) -> Voice:
    """The voice of ``unit`` (湖北路街道, 涧西区湖北路街道办事处) for ``doc_type``'s key."""
    rules = _rules()
    name = _core_name(unit)
    kind = unit_kind(name)
    template = rules.self_name.get(doc_type, rules.self_name["default"])
    short = rules.short_bodies.get(doc_type, rules.short_bodies["default"])
    return Voice(
        name=name, kind=kind, self_name=template.format(name=name, kind=kind), short_bodies=short
    )
