"""Provenance of a result: package versions, git revision, timestamps, hashes and atomic writes.

Every stored result says how it was made (STYLE.md, habit 10). The helpers here collect that
information and write files so that a reader never sees a half-written one: data goes to a
temporary file in the target's folder, which then replaces the target in one ``os.replace``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from experiments.paths import ROOT

__all__ = [
    "PACKAGES",
    "atomic_write",
    "atomic_write_json",
    "canonical_json",
    "git_revision",
    "now",
    "sha256",
    "versions",
]

#: Distributions whose versions every manifest records.
PACKAGES = ("crisis-bargaining", "numpy", "scipy", "nashpy", "pandas", "pyarrow", "joblib", "tqdm")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: equal values give equal text."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def sha256(text: str) -> str:
    """Hexadecimal SHA-256 digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    """Return the current UTC time in ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def versions() -> dict[str, str | None]:
    """Installed versions of the packages a result depends on, and of Python itself.

    A package that is not installed is recorded as ``None``.
    """
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _git(*args: str, cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_revision(root: Path = ROOT) -> dict[str, Any]:
    """Find the git commit of the source tree and whether tracked files differ from it.

    Returns
    -------
    dict
        ``{"revision": <sha or "unknown">, "dirty": <bool or None>}``; ``"unknown"`` (and
        ``dirty = None``) when ``root`` is not a git checkout or git is unavailable.
    """
    if not (root / ".git").exists():
        return {"revision": "unknown", "dirty": None}
    rev = _git("rev-parse", "HEAD", cwd=root)
    if not rev:
        return {"revision": "unknown", "dirty": None}
    status = _git("status", "--porcelain", "--untracked-files=no", cwd=root)
    return {"revision": rev, "dirty": None if status is None else bool(status)}


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` atomically: ``write(tmp)`` fills a temporary file that then replaces it.

    The temporary file lives in the same folder (so the final ``os.replace`` is atomic) and its
    name starts with a dot, so globbing ``part-*.parquet`` never sees it. On any error, including
    ``KeyboardInterrupt``, the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_json(path: Path, value: Any) -> Path:
    """Write ``value`` as indented JSON to ``path`` atomically."""
    text = json.dumps(value, indent=2, sort_keys=False, default=str) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
