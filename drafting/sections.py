"""Sections mean what their heading says: what a sentence states, and which sections take it.

A sentence gets one role — ``background`` (the place described), ``forward`` (what
will be done), ``problem`` (a shortfall, difficulty, risk or demand), ``result`` (an
achievement with a number), ``work`` (something done) or ``other`` — from the
marker words in ``drafting/data/sections.toml``. Each ``SectionSpec`` lists the
roles it ``accepts``; a section with nothing acceptable says 【待补充】 instead.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from functools import cache
from importlib import resources

__all__ = ["Role", "classify_sentence", "fits_section"]


class Role(StrEnum):
    BACKGROUND = "background"
    FORWARD = "forward"
    PROBLEM = "problem"
    RESULT = "result"
    WORK = "work"
    OTHER = "other"


_NUMBER = re.compile(
    r"\d|[一二两三四五六七八九十百千万]+(?:个|名|人|户|家|项|次|场|处|件|条|支|所)"
)


@cache
def _roles() -> tuple[tuple[Role, tuple[str, ...], tuple[str, ...], bool], ...]:
    data = tomllib.loads(
        resources.files("drafting").joinpath("data", "sections.toml").read_text(encoding="utf-8")
    )
    out = []
    for name in data["order"]:
        spec = data["roles"][name]
        out.append(
            (
                Role(name),
                tuple(spec["markers"]),
                tuple(spec.get("unless", ())),
                bool(spec.get("requires_number", False)),
            )
        )
    return tuple(out)


def classify_sentence(text: str) -> Role:
    """What ``text`` states: the first role (in the data's order) whose markers it holds."""
    has_number = bool(_NUMBER.search(text))
    for role, markers, unless, needs_number in _roles():
        if not any(word in text for word in markers):
            continue
        if any(word in text for word in unless):
            continue
        if needs_number and not has_number:
            continue
        return role
    return Role.OTHER


def fits_section(text: str, accepts: tuple[str, ...]) -> bool:
    """Whether ``text`` may stand in a section that accepts ``accepts`` (no rule: any)."""
    return not accepts or classify_sentence(text) in accepts
