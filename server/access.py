"""Who may do what: API tokens with a role and the knowledge bases they are given.

- ``reader`` — ask, search, draft, proofread in its knowledge bases;
- ``editor`` — also upload, ingest and delete documents in its knowledge bases;
- ``admin`` — everything, in every knowledge base, including creating and deleting
  knowledge bases and managing tokens.

Tokens are shown once when made and stored only as SHA-256 hashes (a token is 32 random
bytes, so a plain hash is enough: there is nothing to guess), in ``tokens.json`` in the
data folder, written atomically. ``KB_API_TOKEN`` keeps working and is an admin token.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

__all__ = ["ALL_KNOWLEDGE_BASES", "Principal", "Role", "TokenRecord", "TokenStore"]

ALL_KNOWLEDGE_BASES = "*"
_TOKEN_PREFIX = "kb_"


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return (Role.READER, Role.EDITOR, Role.ADMIN).index(self)

    @property
    def label(self) -> str:
        return {"reader": "只读", "editor": "编辑", "admin": "管理员"}[self.value]


@dataclass(frozen=True)
class Principal:
    """The caller of a request: its role and the knowledge bases it may use."""

    role: Role
    knowledge_bases: frozenset[str]
    token_id: str = ""

    def at_least(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    def may_use(self, knowledge_base: str) -> bool:
        return (
            self.role is Role.ADMIN
            or ALL_KNOWLEDGE_BASES in self.knowledge_bases
            or knowledge_base in self.knowledge_bases
        )

    def visible(self, names: Iterable[str]) -> list[str]:
        return [name for name in names if self.may_use(name)]


# With no token configured at all the server is open, as a single-user install on a
# desktop expects; the first token made closes it.
OPEN_ACCESS = Principal(role=Role.ADMIN, knowledge_bases=frozenset({ALL_KNOWLEDGE_BASES}))


@dataclass(frozen=True)
class TokenRecord:
    token_id: str
    label: str
    role: Role
    knowledge_bases: tuple[str, ...]
    created: str
    digest: str

    def principal(self) -> Principal:
        return Principal(
            role=self.role, knowledge_bases=frozenset(self.knowledge_bases), token_id=self.token_id
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """Tokens in ``data_dir/tokens.json``. ``add`` returns the token itself (the only time
    it is seen); ``authenticate`` maps a presented token to its principal."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._lock = threading.Lock()
        # Every request authenticates: the file is parsed again only when it changed
        # (``kb token`` in another process writes it).
        self._cached: tuple[tuple[int, int], dict[str, TokenRecord]] | None = None

    def _read(self) -> dict[str, TokenRecord]:
        try:
            stat = self._path.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._cached is not None and self._cached[0] == stamp:
            return dict(self._cached[1])
        records = self._parse()
        self._cached = (stamp, records)
        return dict(records)

    def _parse(self) -> dict[str, TokenRecord]:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {
            entry["id"]: TokenRecord(
                token_id=entry["id"],
                label=entry.get("label", ""),
                role=Role(entry["role"]),
                knowledge_bases=tuple(entry.get("knowledge_bases", ())),
                created=entry.get("created", ""),
                digest=entry["sha256"],
            )
            for entry in raw.get("tokens", [])
        }

    def _write(self, records: dict[str, TokenRecord]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "tokens": [
                {
                    "id": r.token_id,
                    "label": r.label,
                    "role": r.role.value,
                    "knowledge_bases": list(r.knowledge_bases),
                    "created": r.created,
                    "sha256": r.digest,
                }
                for r in records.values()
            ]
        }
        tmp = self._path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self._path)

    def add(
        self, *, role: Role, knowledge_bases: Iterable[str], label: str = ""
    ) -> tuple[str, TokenRecord]:
        """Make a token. ``knowledge_bases`` may hold ``*`` for all; an admin gets all."""
        kbs = tuple(dict.fromkeys(knowledge_bases))
        if role is Role.ADMIN:
            kbs = (ALL_KNOWLEDGE_BASES,)
        elif not kbs:
            raise ValueError(
                "请用 --kb 指定该令牌可用的知识库 / name the knowledge bases the token may use"
            )
        token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = TokenRecord(
            token_id=secrets.token_hex(4),
            label=label.strip()[:60],
            role=role,
            knowledge_bases=kbs,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            digest=_digest(token),
        )
        with self._lock:
            records = self._read()
            records[record.token_id] = record
            self._write(records)
        return token, record

    def list(self) -> list[TokenRecord]:
        with self._lock:
            return sorted(self._read().values(), key=lambda r: r.created)

    def revoke(self, token_id: str) -> bool:
        with self._lock:
            records = self._read()
            if records.pop(token_id, None) is None:
                return False
            self._write(records)
            return True

    def any(self) -> bool:
        with self._lock:
            return bool(self._read())

    def authenticate(self, token: str) -> Principal | None:
        digest = _digest(token)
        with self._lock:
            records = list(self._read().values())
        for record in records:
            if secrets.compare_digest(record.digest, digest):
                return record.principal()
        return None
