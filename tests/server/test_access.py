"""Tokens with roles: stored hashed, shown once, revocable; what each role may do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.access import ALL_KNOWLEDGE_BASES, Role, TokenStore


def test_tokens_are_stored_hashed_and_authenticate(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    assert not store.any()
    token, record = store.add(role=Role.READER, knowledge_bases=["news"], label="社区网格员")
    assert token.startswith("kb_") and len(token) > 40
    saved = (tmp_path / "tokens.json").read_text(encoding="utf-8")
    assert token not in saved
    assert json.loads(saved)["tokens"][0]["role"] == "reader"

    who = store.authenticate(token)
    assert who is not None and who.role is Role.READER
    assert who.may_use("news") and not who.may_use("policy")
    assert who.visible(["news", "policy"]) == ["news"]
    assert store.authenticate(token + "x") is None
    assert store.authenticate("") is None


def test_roles_are_ordered_and_admin_sees_everything(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    token, record = store.add(role=Role.ADMIN, knowledge_bases=["news"])
    assert record.knowledge_bases == (ALL_KNOWLEDGE_BASES,)
    admin = store.authenticate(token)
    assert admin is not None and admin.at_least(Role.EDITOR) and admin.may_use("anything")
    _, editor = store.add(role=Role.EDITOR, knowledge_bases=["news", "news"])
    assert editor.knowledge_bases == ("news",)
    assert editor.principal().at_least(Role.READER)
    assert not editor.principal().at_least(Role.ADMIN)


def test_revoke_and_list(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    token, record = store.add(role=Role.EDITOR, knowledge_bases=["policy"], label="a")
    store.add(role=Role.READER, knowledge_bases=[ALL_KNOWLEDGE_BASES], label="b")
    assert [r.label for r in store.list()] == ["a", "b"]
    assert store.revoke(record.token_id)
    assert not store.revoke(record.token_id)
    assert store.authenticate(token) is None
    assert [r.label for r in TokenStore(tmp_path / "tokens.json").list()] == ["b"]


def test_a_reader_token_needs_knowledge_bases(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--kb"):
        TokenStore(tmp_path / "tokens.json").add(role=Role.READER, knowledge_bases=[])
