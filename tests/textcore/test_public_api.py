"""Every textcore module's public names are re-exported by the package (the package's
own list is pinned in tests/test_public_api.py; its layer in tests/test_layers.py)."""

from __future__ import annotations

import importlib

import textcore

MODULES = (
    "errors",
    "facts",
    "headings",
    "ngrams",
    "normalize",
    "numerals",
    "punct",
    "segment",
    "sentences",
    "units",
)


def test_every_module_name_is_re_exported() -> None:
    for module_name in MODULES:
        module = importlib.import_module(f"textcore.{module_name}")
        for name in module.__all__:
            assert getattr(textcore, name) is getattr(module, name), f"{module_name}.{name}"
