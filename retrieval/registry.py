"""Named knowledge bases: each a Chroma collection plus its BM25 index, with a Chinese title.

An office keeps policy texts, its own work material and each 社区's files apart. The
registry is a small JSON file in the data folder (``knowledge_bases.json``) that maps a
knowledge base's name (a short ASCII slug used in URLs and ``--kb``) to its display title
and its Chroma collection; the vectors live in the embedded store or on a ``chroma run``
server, the BM25 file beside the registry, as for a single knowledge base.

Writes to the registry file are atomic (write + rename), so a crash leaves the old or the
new registry, never a torn one. A knowledge base that an ingest job is writing to cannot be
deleted until the job ends (``writing`` marks it busy).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from retrieval.errors import (
    KnowledgeBaseBusyError,
    KnowledgeBaseExistsError,
    KnowledgeBaseNameError,
    UnknownKnowledgeBaseError,
)
from retrieval.knowledge_base import KnowledgeBase

__all__ = ["DEFAULT_KNOWLEDGE_BASE", "KnowledgeBaseInfo", "KnowledgeBaseRegistry", "check_name"]

log = logging.getLogger(__name__)

# The knowledge base a fresh install writes to when none is named; its collection keeps the
# name single-knowledge-base installs used, so their index is found again.
DEFAULT_KNOWLEDGE_BASE = "kb"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_MAX_TITLE = 60
_REGISTRY_FILE = "knowledge_bases.json"


@dataclass(frozen=True)
class KnowledgeBaseInfo:
    """A registered knowledge base: ``name`` is the slug, ``title`` its Chinese display name."""

    name: str
    title: str
    collection: str
    created: str


def check_name(name: str) -> str:
    """A knowledge base name is 1–40 characters of ``a-z 0-9 _ -`` starting with a letter or
    digit: it becomes part of a URL, a Chroma collection name and a file name, so ``/``,
    ``..`` and spaces are refused rather than cleaned (a cleaned name could collide)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        shown = name if isinstance(name, str) and len(name) <= 50 else f"{str(name)[:50]}…"
        raise KnowledgeBaseNameError(
            f"知识库名称“{shown}”无效：请用1至40个小写字母、数字、“_”或“-”，以字母或数字开头 / "
            "invalid knowledge base name: use 1-40 of a-z, 0-9, '_' or '-'"
        )
    return name


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title or len(title) > _MAX_TITLE:
        raise KnowledgeBaseNameError(
            f"知识库显示名称须为1至{_MAX_TITLE}个字符 / the title must be 1-{_MAX_TITLE} characters"
        )
    return title


def _collection_for(name: str) -> str:
    return name if name == DEFAULT_KNOWLEDGE_BASE else f"kb-{name}"


class KnowledgeBaseRegistry:
    """Create, list, rename, open and delete named knowledge bases under one data folder.

    ``opener(collection)`` opens the ``KnowledgeBase`` of a collection (the composition root
    passes one that knows the embedder, the Chroma URL and the chunking settings); opened
    knowledge bases are kept and shared.
    """

    def __init__(self, *, data_dir: Path, opener: Callable[[str], KnowledgeBase]) -> None:
        self._data_dir = Path(data_dir)
        self._opener = opener
        self._lock = threading.RLock()
        self._open: dict[str, KnowledgeBase] = {}
        self._busy: dict[str, int] = {}

    # -- the registry file ----------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._data_dir / _REGISTRY_FILE

    def _read(self) -> dict[str, KnowledgeBaseInfo]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {
            name: KnowledgeBaseInfo(
                name=name,
                title=str(entry.get("title") or name),
                collection=str(entry.get("collection") or _collection_for(name)),
                created=str(entry.get("created") or ""),
            )
            for name, entry in raw.get("knowledge_bases", {}).items()
        }

    def _write(self, entries: dict[str, KnowledgeBaseInfo]) -> None:
        self._data_dir.mkdir(parents=True, exist_ok=True)
        payload = {
            "knowledge_bases": {
                info.name: {
                    "title": info.title,
                    "collection": info.collection,
                    "created": info.created,
                }
                for info in sorted(entries.values(), key=lambda i: i.name)
            }
        }
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    # -- operations -----------------------------------------------------------------

    def list(self) -> list[KnowledgeBaseInfo]:
        """Every registered knowledge base, by name."""
        with self._lock:
            return sorted(self._read().values(), key=lambda i: i.name)

    def info(self, name: str) -> KnowledgeBaseInfo:
        check_name(name)
        with self._lock:
            entries = self._read()
        if name not in entries:
            raise UnknownKnowledgeBaseError(
                f"没有名为“{name}”的知识库 / no knowledge base named {name!r}"
            )
        return entries[name]

    def exists(self, name: str) -> bool:
        with self._lock:
            return name in self._read()

    def create(self, name: str, *, title: str | None = None) -> KnowledgeBaseInfo:
        """Register a knowledge base and create its (empty) collection."""
        check_name(name)
        title = _check_title(title or name)
        with self._lock:
            entries = self._read()
            if name in entries:
                raise KnowledgeBaseExistsError(
                    f"知识库“{name}”已存在 / knowledge base {name!r} exists already"
                )
            info = KnowledgeBaseInfo(
                name=name,
                title=title,
                collection=_collection_for(name),
                created=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self._open[name] = self._opener(info.collection)
            entries[name] = info
            self._write(entries)
            log.info("knowledge base %s (%s) created", name, title)
            return info

    def ensure(self, name: str, *, title: str | None = None) -> KnowledgeBaseInfo:
        """The knowledge base ``name``, created first when it does not exist."""
        with self._lock:
            if self.exists(name):
                return self.info(name)
            return self.create(name, title=title)

    def rename(self, name: str, *, title: str) -> KnowledgeBaseInfo:
        """Give a knowledge base a new display title (its name, used in URLs, stays)."""
        title = _check_title(title)
        with self._lock:
            entries = self._read()
            info = self.info(name)
            entries[name] = KnowledgeBaseInfo(
                name=name, title=title, collection=info.collection, created=info.created
            )
            self._write(entries)
            return entries[name]

    def get(self, name: str) -> KnowledgeBase:
        """The opened knowledge base ``name`` (opened on first use, then shared)."""
        with self._lock:
            if name in self._open:
                return self._open[name]
            info = self.info(name)
            kb = self._opener(info.collection)
            self._open[name] = kb
            return kb

    def delete(self, name: str) -> None:
        """Delete a knowledge base with its collection and BM25 index. Refused while an
        ingest job writes to it: nothing is lost half-way."""
        with self._lock:
            info = self.info(name)
            if self._busy.get(name):
                raise KnowledgeBaseBusyError(
                    f"知识库“{name}”正在入库，请等任务结束后再删除 / "
                    f"knowledge base {name!r} is being written to by a running job"
                )
            kb = self._open.pop(name, None) or self._opener(info.collection)
            kb.drop()
            entries = self._read()
            entries.pop(name, None)
            self._write(entries)
            log.info("knowledge base %s deleted", name)

    @contextmanager
    def writing(self, name: str) -> Iterator[KnowledgeBase]:
        """Mark ``name`` busy for the duration of a write (an ingest job, a removal)."""
        with self._lock:
            kb = self.get(name)
            self._busy[name] = self._busy.get(name, 0) + 1
        try:
            yield kb
        finally:
            with self._lock:
                self._busy[name] -= 1
                if not self._busy[name]:
                    del self._busy[name]
