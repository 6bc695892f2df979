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

from experiments.paths import PACKAGE_DIR

__all__ = [
    "DISTRIBUTION",
    "PACKAGES",
    "atomic_write",
    "atomic_write_json",
    "canonical_json",
    "git_revision",
    "now",
    "sha256",
    "versions",
]

#: The distribution this package belongs to.
DISTRIBUTION = "crisis-bargaining"
#: Distributions whose versions every manifest records.
PACKAGES = (DISTRIBUTION, "numpy", "scipy", "nashpy", "pandas", "pyarrow", "joblib", "tqdm")


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
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _package_version() -> str | None:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def git_revision(package_dir: Path = PACKAGE_DIR) -> dict[str, Any]:
    """Find the git commit of the code that runs, and whether tracked files differ from it.

    The revision is looked up from the package's own folder, never from the current directory:
    only when ``package_dir`` holds files tracked by a git checkout (a source checkout or an
    editable install) is its repository's revision the code's revision. An installed copy (e.g.
    in ``site-packages``, even inside someone's repository) records ``"unknown"``, and the
    installed package version identifies the code instead.

    Parameters
    ----------
    package_dir : Path
        The folder of the running package (default: this package's folder).

    Returns
    -------
    dict
        ``revision``: the commit's SHA or ``"unknown"``; ``dirty``: whether tracked files differ
        from it (``None`` if unknown); ``diff``: the first 16 hex digits of the SHA-256 of those
        differences (``None`` when clean or unknown), so two runs on differently edited trees
        can be told apart; ``package_version``: the installed version of
        :data:`DISTRIBUTION` (``None`` if it is not installed).
    """
    out: dict[str, Any] = {
        "revision": "unknown",
        "dirty": None,
        "diff": None,
        "package_version": _package_version(),
    }
    package_dir = Path(package_dir)
    if not package_dir.is_dir() or not _git("ls-files", "--", ".", cwd=package_dir):
        return out
    rev = _git("rev-parse", "HEAD", cwd=package_dir)
    if not rev:
        return out
    status = _git("status", "--porcelain", "--untracked-files=no", cwd=package_dir)
    out["revision"] = rev
    out["dirty"] = None if status is None else bool(status)
    if status:
        diff = _git("diff", "HEAD", "--no-ext-diff", "--binary", cwd=package_dir)
        out["diff"] = None if diff is None else sha256(diff)[:16]
    return out


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
