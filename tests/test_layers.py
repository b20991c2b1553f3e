"""The layer order holds: textcore ← ingest ← retrieval ← answer ← drafting ← server,
and only server/ imports fastapi, starlette, click or pydantic_settings.

The contracts live in pyproject.toml ([tool.importlinter]); ``lint-imports`` in
scripts/test.sh checks them too, this test makes a plain ``pytest`` run fail as well.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    exit_code = lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
    )
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "2 kept, 0 broken" in report
