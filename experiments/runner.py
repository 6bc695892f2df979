"""Run a sweep: split the design into chunks, solve each chunk in one call, store shards.

Layout of a results folder ``<results>/<name>/``::

    manifest.json          what was run, how, by which code, and which chunks are finished
    part-00000.parquet     rows 0 .. chunk_size - 1: design columns, then output columns
    part-00001.parquet     ...

Each chunk is evaluated **vectorised**: the chunk's design columns become one ``Params`` with
array fields, and the model function is called once for all its rows. Chunks run through a
backend (:mod:`experiments.backends`); each worker derives the per-row seeds of its own chunk
(:func:`experiments.design.row_seeds`, a few array operations), writes the chunk's shard
atomically, and then this process rewrites the manifest atomically, so an interrupted sweep keeps
every chunk finished so far. Shards also carry provenance in their Parquet metadata (key
``crisis``: config hash, git revision and tree state, package versions, chunk and rows).

Before a results folder is touched, the design is checked against the model's constraints and a
*probe* (the design's first and last rows and the rows where each input is smallest and largest)
is solved in this process (unless a resume finds every chunk finished); a function that rejects
those values (``ValueError`` or ``TypeError``) makes a :class:`~experiments.config.ConfigError`,
and nothing is deleted.

Resuming (``resume=True``) reuses every shard whose metadata names the config's hash and holds
the chunk's rows, and recomputes the rest. A folder holding results of a *different* config is
never mixed in: resuming it raises :class:`ResumeError`; a run without ``resume`` starts afresh
and replaces the folder's shards and manifest. The config hash does not cover the code: if a
reused shard was made by another git revision, another edited tree or other package versions,
the run goes on but warns (``warn``; by default a :class:`MixedCodeWarning`), and the manifest
records every run's git state and versions (``runs``), the run that computed each chunk
(``chunks[i].run``) and whether the chunks come from different code (``mixed_code``).
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from experiments import paths
from experiments.backends import Backend, SerialBackend
from experiments.config import RESERVED_INPUTS, ConfigError, SweepConfig, function_inputs
from experiments.design import row_seeds
from experiments.provenance import (
    atomic_write,
    atomic_write_json,
    canonical_json,
    git_revision,
    now,
    versions,
)

__all__ = [
    "MANIFEST",
    "METADATA_KEY",
    "ChunkResult",
    "ChunkTask",
    "MixedCodeWarning",
    "ResumeError",
    "SweepResult",
    "chunk_bounds",
    "evaluate",
    "evaluate_chunk",
    "output_dir",
    "run_sweep",
    "shard_name",
]

MANIFEST = "manifest.json"
METADATA_KEY = b"crisis"
FORMAT_VERSION = 1


class ResumeError(RuntimeError):
    """A results folder cannot be resumed with this config (it holds another config's results)."""


class MixedCodeWarning(UserWarning):
    """A resumed sweep reuses chunks computed by other code (git revision, tree or versions)."""


def shard_name(index: int) -> str:
    """File name of chunk ``index``'s shard: ``part-00000.parquet``, ..."""
    return f"part-{index:05d}.parquet"


def chunk_bounds(n_rows: int, chunk_size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of every chunk of ``chunk_size`` rows (the last may be shorter).

    Examples
    --------
    >>> chunk_bounds(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size = {chunk_size} must be positive")
    return [(s, min(s + chunk_size, n_rows)) for s in range(0, n_rows, chunk_size)]


def output_dir(config: SweepConfig, out: str | Path | None = None) -> Path:
    """Return the folder a sweep writes: ``<out>/<name>``.

    ``out`` defaults to :func:`experiments.paths.results_dir`, or its ``smoke`` subfolder for a
    smoke run (so a quick run never overwrites full-size results).
    """
    if out is None:
        base = paths.results_dir()
        out = paths.smoke_dir(base) if config.smoke else base
    return Path(out) / config.name


# -- evaluating one chunk --------------------------------------------------------------------
def _method_info(result: Any) -> dict[str, Any]:
    from model.types import Solution

    if isinstance(result, Solution):
        cert = result.certificate
        return {
            "returns": "Solution",
            "method": result.method,
            "method_params": json.loads(json.dumps(result.method_params, default=str)),
            "certificate_tolerance": cert.tolerance,
            "certificate_checks": dict(cert.checks),
        }
    return {"returns": "dict"}


def evaluate(config: SweepConfig, design: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Solve every row of ``design`` in one vectorised call of the config's function.

    Parameters
    ----------
    config : SweepConfig
        Names the model, the function, the parameters and the inputs.
    design : pandas.DataFrame
        Rows of the design (``row``, parameters, inputs, ``seed``).

    Returns
    -------
    frame : pandas.DataFrame
        The design columns followed by the output columns, one row per design row.
    info : dict
        How the rows were solved: the method and its settings (for a ``Solution``), and the
        numbers of converged and certified rows when the output has those columns.
    """
    from model import registry
    from model.types import Solution

    spec = registry.get(config.model)
    fn = config.resolve_function()
    design = design.reset_index(drop=True)
    n = len(design)
    params = spec.params(**{k: design[k].to_numpy(np.float64) for k in config.parameter_names})
    kwargs: dict[str, Any] = {k: design[k].to_numpy(np.float64) for k in config.input_names}
    accepted, _, _ = function_inputs(fn)
    for k in RESERVED_INPUTS:
        if k in accepted:
            kwargs[k] = design[k].to_numpy()
    result = fn(params, **kwargs, **config.options)
    if isinstance(result, Solution):
        columns = result.columns()
    elif isinstance(result, Mapping):
        columns = dict(result)
    else:
        raise TypeError(
            f"{config.model}.{config.function}() returned {type(result).__name__}; a sweep needs "
            "a Solution or a dict of arrays"
        )
    outputs: dict[str, np.ndarray] = {}
    for name, value in columns.items():
        arr = np.asarray(value)
        if arr.size != n and arr.size != 1:
            raise ValueError(
                f"{config.model}.{config.function}() output {name!r} has shape {arr.shape}; "
                f"expected one value per row ({n})"
            )
        arr = np.broadcast_to(arr.reshape(-1), (n,))
        if name in design.columns:
            if np.array_equal(arr, design[name].to_numpy()):
                continue
            raise ValueError(
                f"{config.model}.{config.function}() output {name!r} clashes with the design "
                "column of that name and differs from it"
            )
        outputs[str(name)] = arr
    frame = pd.concat([design, pd.DataFrame(outputs, index=design.index)], axis=1)
    info = _method_info(result)
    for flag in ("converged", "certified"):
        if flag in frame.columns and flag not in design.columns:
            info[f"n_{flag}"] = int(np.count_nonzero(frame[flag].to_numpy()))
    return frame, info


@dataclass(frozen=True)
class ChunkTask:
    """One chunk to evaluate and store (picklable: sent to workers).

    ``design`` holds the chunk's rows without the ``seed`` column; the worker adds it.
    """

    config: SweepConfig
    index: int
    start: int
    stop: int
    design: pd.DataFrame
    folder: Path
    provenance: dict[str, Any]


@dataclass(frozen=True)
class ChunkResult:
    """What a worker reports about a finished chunk."""

    index: int
    start: int
    stop: int
    file: str
    seconds: float
    finished_at: str
    columns: list[str]
    info: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """Return the chunk's entry in the manifest."""
        return {
            "index": self.index,
            "file": self.file,
            "rows": [self.start, self.stop],
            "seconds": round(self.seconds, 6),
            "finished_at": self.finished_at,
            "info": self.info,
        }


def _write_shard(path: Path, frame: pd.DataFrame, metadata: Mapping[str, Any]) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[METADATA_KEY] = canonical_json(dict(metadata)).encode("utf-8")
    table = table.replace_schema_metadata(meta)
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def _with_seeds(design: pd.DataFrame, seed: int, start: int) -> pd.DataFrame:
    """Add the ``seed`` column to consecutive design rows ``start, start + 1, ...``."""
    return design.assign(seed=row_seeds(seed, len(design), start))


def evaluate_chunk(task: ChunkTask) -> ChunkResult:
    """Evaluate one chunk and write its shard atomically; runs in a worker.

    The chunk's per-row seeds are derived here, for its rows only.
    """
    t0 = time.perf_counter()
    design = _with_seeds(task.design, task.config.seed, task.start)
    frame, info = evaluate(task.config, design)
    name = shard_name(task.index)
    finished = now()
    meta = {
        **task.provenance,
        "chunk": task.index,
        "rows": [task.start, task.stop],
        "finished_at": finished,
    }
    _write_shard(task.folder / name, frame, meta)
    return ChunkResult(
        index=task.index,
        start=task.start,
        stop=task.stop,
        file=name,
        seconds=time.perf_counter() - t0,
        finished_at=finished,
        columns=list(frame.columns),
        info=info,
    )


# -- the sweep ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepResult:
    """Where a sweep's results are and what this run did."""

    path: Path
    config_hash: str
    n_rows: int
    n_chunks: int
    computed: list[int]
    reused: list[int]
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.n_rows} rows in {self.n_chunks} chunk(s); computed "
            f"{len(self.computed)}, reused {len(self.reused)}"
        )


def shard_metadata(path: Path) -> dict[str, Any] | None:
    """Read the provenance in a shard's Parquet metadata, with its row count.

    Returns ``None`` if the file is missing, unreadable or carries no provenance.
    """
    try:
        meta = pq.read_metadata(path)
    except (OSError, pa.ArrowException):
        return None
    raw = (meta.metadata or {}).get(METADATA_KEY)
    if raw is None:
        return None
    try:
        out = json.loads(raw)
    except ValueError:
        return None
    out["num_rows"] = meta.num_rows
    return out


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ResumeError(f"{path} is not valid JSON ({exc}); run without --resume") from None


def _clean(folder: Path, *, fresh: bool) -> None:
    for tmp in folder.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
    if fresh:
        for shard in folder.glob("part-*.parquet"):
            shard.unlink()
        (folder / MANIFEST).unlink(missing_ok=True)


def _reusable(
    config: SweepConfig, folder: Path, bounds: list[tuple[int, int]]
) -> tuple[dict[int, dict[str, Any]], dict[str, Any] | None]:
    old = _read_manifest(folder)
    refuse = (
        f"{folder} holds results of a different config (hash {{}}; this config's is "
        f"{config.hash[:12]}); rerun without --resume to replace them, or write elsewhere "
        "with --out"
    )
    if old is not None and old.get("config_hash") != config.hash:
        raise ResumeError(refuse.format(str(old.get("config_hash"))[:12]))
    done: dict[int, dict[str, Any]] = {}
    for shard in sorted(folder.glob("part-*.parquet")):
        meta = shard_metadata(shard)
        if meta is None:
            continue
        if meta.get("config_hash") != config.hash:
            raise ResumeError(refuse.format(str(meta.get("config_hash"))[:12]))
        index = meta.get("chunk")
        if (
            isinstance(index, int)
            and 0 <= index < len(bounds)
            and shard.name == shard_name(index)
            and list(bounds[index]) == meta.get("rows")
            and meta["num_rows"] == bounds[index][1] - bounds[index][0]
        ):
            done[index] = meta
    return done, old


def _code_state(git: Mapping[str, Any], versions_: Mapping[str, Any]) -> dict[str, Any]:
    """The provenance fields that identify the code, as stored in each shard's metadata."""
    return {
        "git_revision": git.get("revision"),
        "git_dirty": git.get("dirty"),
        "git_diff": git.get("diff"),
        "versions": dict(versions_),
    }


_GIT_KEYS = ("git_revision", "git_dirty", "git_diff")


def _code_id(meta: Mapping[str, Any], keys: tuple[str, ...] = (*_GIT_KEYS, "versions")) -> str:
    """Canonical text of the code-identifying fields of a shard's metadata."""
    return canonical_json({k: meta.get(k) for k in keys})


def _same_code(meta: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    return _code_id(meta) == _code_id(current)


def _describe_git(meta: Mapping[str, Any]) -> str:
    rev = str(meta.get("git_revision") or "unknown")
    short = rev[:12] if rev != "unknown" else rev
    if meta.get("git_dirty"):
        return f"{short} with uncommitted changes (diff {meta.get('git_diff')})"
    return short if meta.get("git_dirty") is False else f"{short} (tree state unknown)"


def _ranges(indices: list[int]) -> str:
    """Sorted chunk indices as runs: ``[0, 1, 2, 5]`` -> ``"0-2, 5"``."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _mixed_code_message(
    folder: Path, reused: Mapping[int, Mapping[str, Any]], current: Mapping[str, Any]
) -> str | None:
    """Say which reused chunks were made by other code, and how it differs; ``None`` if none."""
    other = sorted(i for i, meta in reused.items() if not _same_code(meta, current))
    if not other:
        return None
    meta = reused[other[0]]
    diffs = []
    if _code_id(meta, _GIT_KEYS) != _code_id(current, _GIT_KEYS):
        diffs.append(f"git {_describe_git(meta)}, this run git {_describe_git(current)}")
    old_v, new_v = meta.get("versions"), current.get("versions") or {}
    if not isinstance(old_v, Mapping):
        diffs.append("package versions not recorded")
    else:
        changed = [
            f"{k} {old_v.get(k)} -> {new_v.get(k)}"
            for k in sorted(set(old_v) | set(new_v))
            if old_v.get(k) != new_v.get(k)
        ]
        if changed:
            diffs.append("versions " + ", ".join(changed))
    return (
        f"{folder}: resuming reuses {len(other)} chunk(s) ({_ranges(other)}) computed by "
        f"different code ({'; '.join(diffs)}); the results will mix outputs of both; rerun "
        "without --resume for results from one version of the code"
    )


def _check_design(config: SweepConfig, design: pd.DataFrame) -> None:
    from model import registry

    spec = registry.get(config.model)
    try:
        spec.params(**{k: design[k].to_numpy(np.float64) for k in config.parameter_names})
    except ValueError as exc:
        where = config.source or config.name
        raise ConfigError(
            f"{where}: the design breaks a constraint of {config.model!r}: {exc}"
        ) from None


def _probe(config: SweepConfig, design: pd.DataFrame) -> None:
    """Solve a few rows of the design at once: the first, the last, and each input's extremes.

    Parameters are already checked against the model's bounds; the probe catches inputs the
    function rejects (out of its range, or of the wrong type) before any result is deleted.
    """
    rows = {0, len(design) - 1}
    for name in config.input_names:
        values = design[name].to_numpy()
        rows.update((int(np.argmin(values)), int(np.argmax(values))))
    picked = sorted(rows)
    probe = design.iloc[picked].assign(
        seed=np.concatenate([row_seeds(config.seed, 1, r) for r in picked])
    )
    try:
        evaluate(config, probe)
    except (ValueError, TypeError) as exc:
        where = config.source or config.name
        message = " ".join(str(exc).split())
        raise ConfigError(
            f"{where}: {config.model}.{config.function}() fails on the design's probe rows "
            f"{', '.join(map(str, picked))} (first, last, and each input's smallest and largest "
            f"values): {type(exc).__name__}: {message}"
        ) from None


def run_sweep(
    config: SweepConfig,
    *,
    out: str | Path | None = None,
    backend: Backend | None = None,
    resume: bool = False,
    progress: bool = True,
    warn: Callable[[str], None] | None = None,
) -> SweepResult:
    """Run (or resume) a sweep and store its results.

    Parameters
    ----------
    config : SweepConfig
        The validated sweep (:func:`experiments.config.load_config`).
    out : path, optional
        Results root; the sweep writes ``<out>/<config.name>/`` (see :func:`output_dir`).
    backend : Backend, optional
        Where chunks run; default :class:`~experiments.backends.SerialBackend`.
    resume : bool
        Reuse finished shards of the same config; refuse if the folder holds another config's.
    progress : bool
        Show a progress bar over chunks (on standard error).
    warn : callable, optional
        Called with a one-line message when resuming reuses chunks computed by other code;
        default: :func:`warnings.warn` with :class:`MixedCodeWarning`.

    Returns
    -------
    SweepResult
        The results folder, the config hash, which chunks were computed and reused, and the
        warnings given.

    Raises
    ------
    ResumeError
        ``resume`` was asked for a folder holding results of a different config.
    ConfigError
        Some design point breaks a cross-parameter constraint of the model, or the function
        rejects the design's probe rows (see :func:`_probe`); the results folder is untouched.
    """
    backend = backend or SerialBackend()
    folder = output_dir(config, out)
    design = config.design(seeds=False)
    _check_design(config, design)
    bounds = chunk_bounds(len(design), config.chunk_size)
    reused: dict[int, dict[str, Any]] = {}
    old: dict[str, Any] | None = None
    if resume:
        reused, old = _reusable(config, folder, bounds)
    done = set(reused)
    if len(done) < len(bounds):
        _probe(config, design)

    git = git_revision()
    installed = versions()
    current = _code_state(git, installed)
    folder.mkdir(parents=True, exist_ok=True)
    given: list[str] = []
    mixed = _mixed_code_message(folder, reused, current)
    if mixed is not None:
        given.append(mixed)
        if warn is None:
            warnings.warn(mixed, MixedCodeWarning, stacklevel=2)
        else:
            warn(mixed)
    _clean(folder, fresh=not resume)

    started = now()
    old_runs = list((old or {}).get("runs", []))
    run_index = len(old_runs)
    old_chunks = {c["index"]: c for c in (old or {}).get("chunks", []) if isinstance(c, dict)}
    # which code made each chunk: the reused shards' own metadata, then this run's
    chunk_code = {i: _code_id(meta) for i, meta in reused.items()}
    this_code = _code_id(current)
    records: dict[int, dict[str, Any]] = {}
    for i in sorted(done):
        start, stop = bounds[i]
        records[i] = old_chunks.get(i) or {
            "index": i,
            "file": shard_name(i),
            "rows": [start, stop],
            "seconds": None,
            "finished_at": None,
            "info": {},
        }
    run_entry: dict[str, Any] = {
        "started_at": started,
        "finished_at": None,
        "status": "running",
        "backend": backend.describe(),
        "git": git,
        "versions": installed,
        "computed": [],
        "reused": sorted(done),
        "reused_from_other_code": sorted(
            i for i, meta in reused.items() if not _same_code(meta, current)
        ),
    }
    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "name": config.name,
        "model": config.model,
        "function": config.function,
        "description": config.description,
        "source": config.source,
        "smoke": config.smoke,
        "config": config.to_dict(),
        "config_hash": config.hash,
        "seed": config.seed,
        "seeding": "row i: numpy.random.SeedSequence(seed, spawn_key=(i,)), i.e. "
        "SeedSequence(seed).spawn(n_rows)[i]; column 'seed' = first 63 bits of its state",
        "n_rows": len(design),
        "chunk_size": config.chunk_size,
        "n_chunks": len(bounds),
        "columns": (old or {}).get("columns"),
        "method": (old or {}).get("method"),
        "versions": installed,
        "git": git,
        "mixed_code": False,
        "created_at": (old or {}).get("created_at", started),
        "updated_at": started,
        "status": "running",
        "complete": False,
        "chunks": [],
        "runs": [*old_runs, run_entry],
    }

    def save(status: str) -> None:
        manifest["chunks"] = [records[i] for i in sorted(records)]
        manifest["status"] = status
        manifest["complete"] = len(records) == len(bounds)
        manifest["mixed_code"] = len({chunk_code.get(i, this_code) for i in records}) > 1
        manifest["updated_at"] = now()
        run_entry["status"] = status
        if status != "running":
            run_entry["finished_at"] = manifest["updated_at"]
        if manifest["complete"]:
            manifest["method"] = _summarise(records.values(), manifest.get("method"))
        atomic_write_json(folder / MANIFEST, manifest)

    save("running")
    provenance = {
        "name": config.name,
        "model": config.model,
        "function": config.function,
        "config_hash": config.hash,
        **current,
    }
    tasks = [
        ChunkTask(config, i, start, stop, design.iloc[start:stop], folder, provenance)
        for i, (start, stop) in enumerate(bounds)
        if i not in done
    ]
    results = backend.map(evaluate_chunk, tasks)
    with tqdm(
        total=len(bounds),
        initial=len(done),
        unit="chunk",
        desc=config.name,
        disable=not progress,
    ) as bar:
        try:
            for res in results:
                records[res.index] = {**res.record(), "run": run_index}
                chunk_code[res.index] = this_code
                run_entry["computed"].append(res.index)
                if manifest["columns"] is None:
                    design_cols = [*design.columns, "seed"]
                    manifest["columns"] = {
                        "design": design_cols,
                        "outputs": [c for c in res.columns if c not in design_cols],
                    }
                save("running")
                bar.update(1)
        except KeyboardInterrupt:
            save("interrupted")
            raise
        except BaseException:
            save("failed")
            raise
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
    save("complete")
    return SweepResult(
        path=folder,
        config_hash=config.hash,
        n_rows=len(design),
        n_chunks=len(bounds),
        computed=sorted(run_entry["computed"]),
        reused=sorted(done),
        manifest=manifest,
        warnings=given,
    )


def _summarise(records: Any, previous: Any) -> dict[str, Any]:
    """Summarise how the rows were solved, over all chunks (the manifest's ``method``).

    Per-chunk settings (e.g. iteration counts) stay in each chunk's ``info``; this keeps what is
    common, the set of methods used and the numbers of converged and certified rows.
    """
    infos = [r.get("info") or {} for r in records]
    known = [i for i in infos if i]
    if not known:
        return previous or {}
    first = known[0]
    out: dict[str, Any] = {"returns": first.get("returns")}
    if "method" in first:
        out["methods"] = sorted({str(i["method"]) for i in known if "method" in i})
        out["certificate_tolerance"] = first.get("certificate_tolerance")
        out["certificate_checks"] = first.get("certificate_checks")
    for key in ("n_converged", "n_certified"):
        if all(key in i for i in infos):
            out[key] = int(math.fsum(i[key] for i in infos))
    return out
