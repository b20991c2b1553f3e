"""The one way this project runs LibreOffice (``soffice --headless --convert-to``).

Ingest uses it to read .doc/.wps, drafting to render the PDF preview. Three rules:

* Each conversion gets a LibreOffice profile no other running conversion uses:
  two instances on one profile fight over its lock and one of them silently
  does nothing. Profiles are kept in a per-process pool and reused, because
  creating a fresh profile costs LibreOffice about a second at every start.
* LibreOffice runs in a session (process group) of its own, and a timeout kills
  the whole group: ``soffice`` is a launcher whose ``soffice.bin`` child would
  otherwise outlive it and keep converting (and holding memory) forever.
* Failures are :class:`SofficeError`\\ s that say what went wrong; callers turn
  them into their own errors (a corrupt upload, a failed preview).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from textcore.errors import ServiceFailureError

__all__ = [
    "SofficeError",
    "SofficeFailedError",
    "SofficeMissingError",
    "SofficeTimeoutError",
    "convert_with_soffice",
    "find_soffice",
]

log = logging.getLogger(__name__)


class SofficeError(ServiceFailureError):
    """LibreOffice could not do the conversion."""


class SofficeMissingError(SofficeError):
    """LibreOffice is not installed, or its binary cannot be started."""


class SofficeTimeoutError(SofficeError):
    """LibreOffice ran past its time limit and was stopped, children included."""


class SofficeFailedError(SofficeError):
    """LibreOffice exited with an error or wrote no output; ``detail`` holds its stderr."""

    def __init__(self, message: str, *, returncode: int | None, detail: str) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.detail = detail


def find_soffice() -> str | None:
    """The path of the LibreOffice binary, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _ProfilePool:
    """LibreOffice profile folders, each lent to one conversion at a time.

    A folder that took part in a killed conversion may hold a stale lock or a
    half-written profile, so it is thrown away instead of being lent again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Path] = []
        self._root: Path | None = None
        self._count = itertools.count()
        self._pid = os.getpid()

    def _root_dir(self) -> Path:
        if self._root is None or not self._root.is_dir():
            self._root = Path(tempfile.mkdtemp(prefix=f"kb-soffice-{os.getpid()}-"))
            atexit.register(shutil.rmtree, self._root, ignore_errors=True)
        return self._root

    @contextlib.contextmanager
    def lend(self, root: Path | None = None) -> Iterator[Path]:
        """A home folder holding a profile; with ``root`` a fresh one under it, not pooled."""
        if root is not None:
            home = Path(tempfile.mkdtemp(prefix="profile-", dir=root))
            try:
                yield home
            finally:
                shutil.rmtree(home, ignore_errors=True)
            return
        with self._lock:
            if self._pid != os.getpid():
                # A forked worker: the parent's folders are the parent's to use.
                self._free, self._root, self._pid = [], None, os.getpid()
            if self._free:
                home = self._free.pop()
            else:
                home = self._root_dir() / f"worker-{next(self._count)}"
                home.mkdir()
        healthy = False
        try:
            yield home
            healthy = True
        finally:
            if healthy:
                with self._lock:
                    self._free.append(home)
            else:
                shutil.rmtree(home, ignore_errors=True)


_PROFILES = _ProfilePool()


def convert_with_soffice(
    source: Path,
    *,
    to: str,
    out_dir: Path,
    timeout: float,
    soffice: str | None = None,
    env: Mapping[str, str] | None = None,
    profile_root: Path | None = None,
) -> Path:
    """Convert ``source`` with ``soffice --convert-to <to>`` into ``out_dir``; return the file.

    ``to`` is LibreOffice's filter argument (``pdf``, ``txt:Text (encoded):UTF8``);
    the output is ``out_dir/<source stem>.<extension of to>``. ``env`` adds
    variables (e.g. ``FONTCONFIG_FILE``). ``profile_root`` puts a fresh,
    unpooled profile under that folder (tests use it to find the processes).

    Raises ``SofficeMissingError`` (not installed, cannot start),
    ``SofficeTimeoutError`` (ran past ``timeout`` seconds: every process it
    started is killed) or ``SofficeFailedError`` (exit code, no output).
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    binary = soffice or find_soffice()
    if binary is None:
        raise SofficeMissingError(
            "LibreOffice (soffice) is not installed; install the Debian package 'libreoffice-writer'"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.{to.split(':', 1)[0]}"
    with _PROFILES.lend(profile_root) as home:
        command = [
            binary,
            f"-env:UserInstallation={(home / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        full_env = {**os.environ, **(env or {}), "HOME": str(home)}  # caches go under $HOME
        log.info("LibreOffice: %s → %s", source.name, to)
        returncode, stderr = _run_in_own_group(command, env=full_env, timeout=timeout)
    if returncode != 0 or not target.is_file():
        detail = stderr.strip()[-500:]
        raise SofficeFailedError(
            f"LibreOffice could not convert {source.name} (exit {returncode})"
            + (f": {detail}" if detail else ""),
            returncode=returncode,
            detail=detail,
        )
    return target


def _run_in_own_group(
    command: list[str], *, env: Mapping[str, str], timeout: float
) -> tuple[int, str]:
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env),
            start_new_session=True,
        )
    except OSError as exc:
        raise SofficeMissingError(f"cannot start LibreOffice ({command[0]}): {exc}") from exc
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise SofficeTimeoutError(
            f"LibreOffice took longer than {timeout:g}s and was stopped"
        ) from exc
    except BaseException:
        _kill_group(process)  # interrupted (Ctrl-C, a cancelled job): leave nothing behind
        raise
    return process.returncode, stderr.decode("utf-8", "replace")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
