"""FastAPI app, web page and the kb CLI: the composition root."""

from __future__ import annotations

from typing import Any

__all__ = ["Services", "Settings", "create_app"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: ``kb`` imports server.settings and should not pay for the app.
    if name == "create_app":
        from server.app import create_app

        return create_app
    if name == "Services":
        from server.services import Services

        return Services
    if name == "Settings":
        from server.settings import Settings

        return Settings
    raise AttributeError(f"module 'server' has no attribute {name!r}")
