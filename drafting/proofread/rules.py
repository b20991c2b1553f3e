"""The proofreading rules, kept as data in ``rules/*.toml`` next to this module.

Each file sets ``kind``, ``severity`` and ``check`` for its rules; a rule may override
them. Every rule carries ``example_wrong`` (must produce its finding) and
``example_right`` (must not): the tests run both for every rule, so a rule added to a
file is tested without writing a test.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from drafting.proofread.types import RuleKind, Severity

__all__ = ["Rule", "RuleDataError", "load_rules"]

_RULE_FILES = ("layout", "structure", "punctuation", "wording", "figures")
_KNOWN_FIELDS = frozenset(
    {"id", "kind", "severity", "check", "message", "example_wrong", "example_right", "source"}
)


class RuleDataError(ValueError):
    """A rule file that cannot be used: a missing field, an unknown check, a bad pattern."""


@dataclass(frozen=True)
class Rule:
    """One rule. ``check`` names the function that applies it (drafting/proofread/checks.py);
    ``params`` holds the rest of its table (``wrong``, ``right``, ``level``, tolerances)."""

    id: str
    kind: RuleKind
    severity: Severity
    check: str
    message: str
    example_wrong: str | Mapping[str, Any]
    example_right: str | Mapping[str, Any]
    source: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The compiled ``wrong`` expression of a ``regex`` rule (``^``/``$`` per paragraph)."""
        return re.compile(self.params["wrong"], re.MULTILINE)

    @property
    def replacement(self) -> str | None:
        right = self.params.get("right")
        return None if right is None else str(right)


def _parse_file(name: str, data: Mapping[str, Any]) -> list[Rule]:
    rules = []
    for table in data.get("rule", []):
        merged: dict[str, Any] = {
            "kind": data.get("kind"),
            "severity": data.get("severity"),
            "check": data.get("check"),
        } | dict(table)
        missing = [
            key for key in ("id", "kind", "severity", "check", "message") if not merged.get(key)
        ]
        missing += [key for key in ("example_wrong", "example_right") if key not in merged]
        if missing:
            raise RuleDataError(f"{name}.toml: rule {merged.get('id')!r} lacks {missing}")
        try:
            rule = Rule(
                id=merged["id"],
                kind=RuleKind(merged["kind"]),
                severity=Severity(merged["severity"]),
                check=merged["check"],
                message=merged["message"],
                example_wrong=merged["example_wrong"],
                example_right=merged["example_right"],
                source=merged.get("source"),
                params={k: v for k, v in merged.items() if k not in _KNOWN_FIELDS},
            )
            if rule.check == "regex":
                _ = rule.pattern
        except (ValueError, KeyError, re.error) as exc:
            raise RuleDataError(f"{name}.toml: rule {merged.get('id')!r}: {exc}") from exc
        rules.append(rule)
    return rules


@cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule of the shipped rule files, in file order; ids are unique."""
    folder = resources.files("drafting.proofread") / "rules"
    rules: list[Rule] = []
    for name in _RULE_FILES:
        data = tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
        rules.extend(_parse_file(name, data))
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RuleDataError(f"duplicate rule ids: {duplicates}")
    return tuple(rules)
