"""What every command module shares: the services built from the group's settings."""

from __future__ import annotations

import click

from server.services import Services
from server.settings import Settings


def get_services(ctx: click.Context) -> Services:
    """One ``Services`` per CLI invocation, built from the settings the group read."""
    root = ctx.find_root()
    services = root.meta.get("services")
    if services is None:
        settings = root.obj if isinstance(root.obj, Settings) else Settings()
        services = Services(settings)
        root.meta["services"] = services
    return services
