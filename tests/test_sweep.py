"""Sweeps end to end: vectorised chunks, shards, manifest, resume, interruption, provenance."""

import functools
import json
import shutil
import subprocess
import warnings

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import model.games.risk_return as rr
from experiments import results, runner
from experiments.backends import JoblibBackend, SerialBackend, make_backend
from experiments.config import ConfigError, load_config
from experiments.design import row_seeds
from experiments.provenance import git_revision
from experiments.runner import (
    MANIFEST,
    MixedCodeWarning,
    ResumeError,
    chunk_bounds,
    run_sweep,
    shard_metadata,
)

SMALL = """
name = "small"
model = "risk_return"
description = "a small sweep for tests"
[design]
kind = "grid"
seed = 4242
[parameters]
belief_scale = {{ values = [0.5, 1.0, 2.0] }}
c_B_hi = {{ range = [0.2, 0.8], num = 5 }}
p = {p}
[run]
chunk_size = {chunk}
"""


def install(monkeypatch, name, fn):
    """Make ``fn`` a function of the risk_return module (a sweep only calls functions defined
    in the model's own module)."""
    fn.__module__ = rr.__name__
    monkeypatch.setattr(rr, name, fn, raising=False)
    return fn


def write(tmp_path, text, name="sweep.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def small(tmp_path, *, p=0.5, chunk=4, function=None):
    text = SMALL.format(p=p, chunk=chunk)
    if function:
        text = text.replace(
            'model = "risk_return"', f'model = "risk_return"\nfunction = "{function}"'
        )
    return load_config(write(tmp_path, text))


def direct(frame):
    """Solve the design rows of ``frame`` in one call, without the runner."""
    names = list(rr.Params.__dataclass_fields__)
    params = rr.Params(**{k: frame[k].to_numpy() for k in names})
    return rr.solve(params).columns()


@pytest.fixture
def count_solve(monkeypatch):
    """Count the rows passed to each call of risk_return.solve (in this process)."""
    calls = []
    original = rr.solve

    @functools.wraps(original)
    def counting(params, **kw):
        calls.append(int(np.prod(params.shape)))
        return original(params, **kw)

    install(monkeypatch, "solve", counting)
    return calls


def test_chunk_bounds():
    assert chunk_bounds(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_bounds(3, 50) == [(0, 3)]


def test_results_equal_a_direct_vectorised_solve(tmp_path, count_solve):
    config = small(tmp_path)
    res = run_sweep(config, out=tmp_path / "out", progress=False)
    assert res.path == tmp_path / "out" / "small"
    assert (res.n_rows, res.n_chunks, res.computed, res.reused) == (15, 4, [0, 1, 2, 3], [])
    # the probe (first and last rows), then one vectorised call per chunk
    assert count_solve == [2, 4, 4, 4, 3]
    frame = results.load(res.path)
    assert frame["row"].tolist() == list(range(15))
    assert sorted(p.name for p in res.path.glob("*.parquet")) == [
        f"part-0000{i}.parquet" for i in range(4)
    ]
    design_cols = ["row", "p", "c_A", "c_B_lo", "c_B_hi", "belief_scale", "seed"]
    assert list(frame.columns[:7]) == design_cols
    pd.testing.assert_frame_equal(frame[design_cols[:-1]], config.design()[design_cols[:-1]])
    assert np.array_equal(frame["seed"], row_seeds(4242, 15))
    for name, values in direct(frame).items():
        np.testing.assert_array_equal(frame[name].to_numpy(), values, err_msg=name)


def test_parallel_and_chunking_do_not_change_results(tmp_path):
    serial = run_sweep(small(tmp_path, chunk=4), out=tmp_path / "a", progress=False)
    parallel = run_sweep(
        small(tmp_path, chunk=2), out=tmp_path / "b", backend=JoblibBackend(2), progress=False
    )
    one = run_sweep(small(tmp_path, chunk=100), out=tmp_path / "c", progress=False)
    a, b, c = (results.load(r.path) for r in (serial, parallel, one))
    assert parallel.n_chunks == 8 and one.n_chunks == 1
    # seeds are derived in the workers, chunk by chunk, and still depend on the row only
    assert np.array_equal(b["seed"], row_seeds(4242, 15))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    manifest = results.load_manifest(parallel.path)
    assert manifest["runs"][-1]["backend"]["backend"] == "joblib"


def test_manifest_and_shards_carry_provenance(tmp_path):
    config = small(tmp_path)
    res = run_sweep(config, out=tmp_path, progress=False)
    m = results.load_manifest("small", tmp_path)
    assert m == json.loads((res.path / MANIFEST).read_text())
    assert m["config_hash"] == config.hash and m["config"] == config.to_dict()
    assert (m["name"], m["model"], m["function"], m["seed"]) == (
        "small",
        "risk_return",
        "solve",
        4242,
    )
    assert (m["n_rows"], m["chunk_size"], m["n_chunks"]) == (15, 4, 4)
    assert m["complete"] is True and m["status"] == "complete"
    assert [c["index"] for c in m["chunks"]] == [0, 1, 2, 3]
    assert m["chunks"][3]["rows"] == [12, 15] and m["chunks"][3]["file"] == "part-00003.parquet"
    for pkg in ("python", "numpy", "scipy", "nashpy", "pandas", "pyarrow", "joblib"):
        assert m["versions"][pkg], pkg
    assert set(m["git"]) == {"revision", "dirty", "diff", "package_version"}
    assert (
        m["git"]["revision"] and m["git"]["package_version"] == m["versions"]["crisis-bargaining"]
    )
    assert m["runs"][0]["git"] == m["git"] and m["runs"][0]["versions"] == m["versions"]
    assert m["mixed_code"] is False and {c["run"] for c in m["chunks"]} == {0}
    assert m["created_at"] <= m["updated_at"]
    assert m["method"]["methods"] == ["closed_form"] and m["method"]["returns"] == "Solution"
    assert m["method"]["n_certified"] == 15 and m["method"]["certificate_checks"]
    assert m["columns"]["design"][0] == "row" and "realised_war" in m["columns"]["outputs"]
    meta = shard_metadata(res.path / "part-00001.parquet")
    assert meta["config_hash"] == config.hash and meta["git_revision"] == m["git"]["revision"]
    assert meta["chunk"] == 1 and meta["rows"] == [4, 8] and meta["num_rows"] == 4
    assert meta["versions"] == m["versions"] and meta["git_diff"] == m["git"]["diff"]
    raw = pq.read_schema(res.path / "part-00001.parquet").metadata[b"crisis"]
    assert json.loads(raw)["config_hash"] == config.hash


def test_resume_recomputes_only_missing_chunks(tmp_path, count_solve):
    config = small(tmp_path)
    first = run_sweep(config, out=tmp_path, progress=False)
    before = results.load(first.path)
    finished = {c["index"]: c["finished_at"] for c in first.manifest["chunks"]}
    (first.path / "part-00002.parquet").unlink()
    count_solve.clear()
    again = run_sweep(config, out=tmp_path, resume=True, progress=False)
    assert count_solve == [2, 4]  # the probe, then the missing chunk
    assert (again.computed, again.reused) == ([2], [0, 1, 3])
    pd.testing.assert_frame_equal(results.load(again.path), before)
    m = results.load_manifest(again.path)
    assert m["complete"] and len(m["runs"]) == 2
    assert m["runs"][-1]["computed"] == [2] and m["runs"][-1]["reused"] == [0, 1, 3]
    kept = {c["index"]: c["finished_at"] for c in m["chunks"]}
    assert all(kept[i] == finished[i] for i in (0, 1, 3))
    count_solve.clear()
    done = run_sweep(config, out=tmp_path, resume=True, progress=False)
    # nothing left to compute: not even the probe runs
    assert count_solve == [] and done.computed == [] and done.reused == [0, 1, 2, 3]


def test_resume_refuses_results_of_another_config(tmp_path, count_solve):
    run_sweep(small(tmp_path), out=tmp_path, progress=False)
    changed = small(tmp_path, p=0.6)
    count_solve.clear()
    with pytest.raises(ResumeError, match="holds results of a different config.*without --resume"):
        run_sweep(changed, out=tmp_path, resume=True, progress=False)
    assert count_solve == []
    # a run without --resume starts afresh and replaces the old results
    fresh = run_sweep(changed, out=tmp_path, progress=False)
    assert fresh.computed == [0, 1, 2, 3]
    assert (results.load(fresh.path)["p"] == 0.6).all()


def test_resume_refuses_foreign_shards_without_manifest(tmp_path):
    first = run_sweep(small(tmp_path), out=tmp_path, progress=False)
    (first.path / MANIFEST).unlink()
    with pytest.raises(ResumeError, match="different config"):
        run_sweep(small(tmp_path, p=0.6), out=tmp_path, resume=True, progress=False)


def test_fresh_run_removes_stale_shards_and_temp_files(tmp_path):
    first = run_sweep(small(tmp_path, chunk=4), out=tmp_path, progress=False)
    stale = first.path / ".part-00000.parquet.123.abc.tmp"
    stale.write_text("half written")
    second = run_sweep(small(tmp_path, chunk=100), out=tmp_path, progress=False)
    assert sorted(p.name for p in second.path.iterdir()) == [MANIFEST, "part-00000.parquet"]
    assert len(results.load(second.path)) == 15


@pytest.mark.parametrize(
    ("error", "status"), [(RuntimeError, "failed"), (KeyboardInterrupt, "interrupted")]
)
def test_interrupted_run_keeps_finished_chunks_and_resumes(tmp_path, monkeypatch, error, status):
    calls = []
    fail = {"on": True}

    def flaky(params, **kw):
        calls.append(int(np.prod(params.shape)))
        if fail["on"] and len(calls) == 4:  # after the probe: the third of four chunks
            raise error("stop in the middle")
        return rr.solve(params, **kw)

    install(monkeypatch, "flaky_solve", flaky)
    config = small(tmp_path, function="flaky_solve")
    with pytest.raises(error, match="stop in the middle"):
        run_sweep(config, out=tmp_path, progress=False)
    folder = tmp_path / "small"
    assert sorted(p.name for p in folder.iterdir()) == [
        MANIFEST,
        "part-00000.parquet",
        "part-00001.parquet",
    ]
    m = results.load_manifest(folder)
    assert m["status"] == status and m["complete"] is False
    assert [c["index"] for c in m["chunks"]] == [0, 1]
    with pytest.raises(results.IncompleteResultsError, match="2 of 4 chunks"):
        results.load(folder)
    assert results.load(folder, allow_partial=True)["row"].tolist() == list(range(8))

    fail["on"] = False
    calls.clear()
    res = run_sweep(config, out=tmp_path, resume=True, progress=False)
    assert (res.computed, res.reused, calls) == ([2, 3], [0, 1], [2, 4, 3])
    frame = results.load(folder)
    for name, values in direct(frame).items():
        np.testing.assert_array_equal(frame[name].to_numpy(), values, err_msg=name)
    assert [r["status"] for r in results.load_manifest(folder)["runs"]] == [status, "complete"]


def test_dict_function_with_inputs(tmp_path):
    text = """
name = "demand"
model = "risk_return"
function = "outcomes_at_demand"
[design]
kind = "grid"
seed = 1
[parameters]
c_B_hi = { values = [0.2, 0.6] }
[inputs]
demand = { range = [0.0, 1.0], num = 11 }
[run]
chunk_size = 5
"""
    config = load_config(write(tmp_path, text))
    res = run_sweep(config, out=tmp_path, backend=make_backend(1), progress=False)
    frame = results.load(res.path)
    assert len(frame) == 22 and frame.columns.tolist().count("demand") == 1
    params = rr.Params(c_B_hi=frame["c_B_hi"].to_numpy())
    expected = rr.outcomes_at_demand(params, frame["demand"].to_numpy())
    for name in ("realised_war", "planned_compliance", "optimal_demand"):
        np.testing.assert_array_equal(frame[name], expected[name])
    assert results.load_manifest(res.path)["method"]["returns"] == "dict"


def test_lhs_sweep(tmp_path):
    text = """
name = "lhs"
model = "risk_return"
[design]
kind = "lhs"
size = 20
seed = 3
[parameters]
c_B_hi = { range = [0.2, 0.9] }
belief_scale = { range = [0.5, 2.0], space = "log" }
[run]
chunk_size = 7
"""
    res = run_sweep(load_config(write(tmp_path, text)), out=tmp_path, progress=False)
    frame = results.load(res.path)
    assert len(frame) == 20 and res.n_chunks == 3
    assert frame["c_B_hi"].between(0.2, 0.9).all() and frame["belief_scale"].between(0.5, 2).all()
    for name, values in direct(frame).items():
        np.testing.assert_array_equal(frame[name].to_numpy(), values, err_msg=name)


def test_row_seeds_reach_functions_that_take_them(tmp_path, monkeypatch):
    def noisy(params, *, seed):
        draws = np.array([np.random.default_rng(s).uniform() for s in seed])
        return {"draw": draws, "seed_seen": seed}

    install(monkeypatch, "noisy", noisy)
    config = small(tmp_path, function="noisy")
    frame = results.load(run_sweep(config, out=tmp_path, progress=False).path)
    assert "seed_seen" in frame and np.array_equal(frame["seed_seen"], frame["seed"])
    other = results.load(
        run_sweep(
            small(tmp_path, function="noisy", chunk=3), out=tmp_path / "x", progress=False
        ).path
    )
    np.testing.assert_array_equal(frame["draw"], other["draw"])


def test_design_breaking_a_model_constraint_is_a_config_error(tmp_path):
    text = SMALL.format(p=0.5, chunk=4) + "\n"
    text = text.replace("p = 0.5", "p = 0.5\nc_B_lo = 0.5")
    config = load_config(write(tmp_path, text))
    with pytest.raises(
        ConfigError, match=r"sweep\.toml: the design breaks a constraint.*c_B_lo = 0\.5"
    ):
        run_sweep(config, out=tmp_path, progress=False)
    assert not (tmp_path / "small").exists()


def test_function_returning_the_wrong_type(tmp_path, monkeypatch):
    install(monkeypatch, "bad_output", lambda params: [1, 2, 3])
    with pytest.raises(ConfigError, match="returned list; a sweep needs a Solution or a dict"):
        run_sweep(small(tmp_path, function="bad_output"), out=tmp_path, progress=False)
    assert not (tmp_path / "small").exists()


DEMAND = """
name = "demand"
model = "risk_return"
function = "outcomes_at_demand"
[design]
kind = "grid"
seed = 1
[parameters]
c_B_hi = {{ values = [0.2, 0.6] }}
[inputs]
demand = {{ range = [0.0, {high}], num = 5 }}
[run]
chunk_size = 4
"""


def test_inputs_the_function_rejects_fail_before_old_results_are_deleted(tmp_path, capsys):
    good = run_sweep(
        load_config(write(tmp_path, DEMAND.format(high=1.0))), out=tmp_path, progress=False
    )
    before = sorted(p.name for p in good.path.iterdir())
    manifest = (good.path / MANIFEST).read_text()
    # demand = 2 lies in the last row of the grid, not the first
    bad = load_config(write(tmp_path, DEMAND.format(high=2.0), "bad.toml"))
    with pytest.raises(
        ConfigError,
        match=r"^bad\.toml: risk_return\.outcomes_at_demand\(\) fails on the design's probe "
        r"rows 0, 4, 9 .*ValueError: demand = .* out of range",
    ):
        run_sweep(bad, out=tmp_path, progress=False)
    assert sorted(p.name for p in good.path.iterdir()) == before
    assert (good.path / MANIFEST).read_text() == manifest
    assert len(results.load(good.path)) == 10


def test_probe_covers_each_inputs_extremes(tmp_path, monkeypatch):
    seen = []

    def picky(params, *, level, scale):
        seen.append((np.asarray(level).tolist(), np.asarray(scale).tolist()))
        if np.any(np.asarray(level) > 2):
            raise TypeError("level above 2")
        return {"out": np.asarray(level) * scale}

    install(monkeypatch, "picky", picky)
    text = DEMAND.replace("outcomes_at_demand", "picky").format(high=1.0)
    # the largest level sits in the middle of the list: neither the first nor the last row
    text = text.replace(
        "demand = { range = [0.0, 1.0], num = 5 }",
        "level = { values = [1.0, 3.0, 0.5] }\nscale = { values = [1.0, 2.0] }",
    )
    # rows 0 and 11 (first, last), 1 (largest scale), 2 (largest level), 4 (smallest level)
    with pytest.raises(ConfigError, match=r"probe rows 0, 1, 2, 4, 11 .*TypeError: level above 2"):
        run_sweep(load_config(write(tmp_path, text)), out=tmp_path, progress=False)
    assert seen == [([1.0, 1.0, 3.0, 0.5, 0.5], [1.0, 2.0, 1.0, 1.0, 2.0])]
    assert not (tmp_path / "demand").exists()


def fake_code(monkeypatch, revision, numpy_version=None):
    """Make the runner see git ``revision`` (clean) and, optionally, another numpy version."""
    git = {"revision": revision, "dirty": False, "diff": None, "package_version": "0.1.0"}
    monkeypatch.setattr(runner, "git_revision", lambda: dict(git))
    installed = runner.versions()
    if numpy_version:
        installed["numpy"] = numpy_version
    monkeypatch.setattr(runner, "versions", lambda: dict(installed))


def test_resume_with_other_code_warns_and_records_each_run(tmp_path, monkeypatch):
    config = small(tmp_path)
    fake_code(monkeypatch, "a" * 40)
    first = run_sweep(config, out=tmp_path, progress=False)
    (first.path / "part-00003.parquet").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same code: no warning
        same = run_sweep(config, out=tmp_path, resume=True, progress=False)
    assert same.warnings == [] and same.manifest["mixed_code"] is False
    (first.path / "part-00003.parquet").unlink()

    fake_code(monkeypatch, "b" * 40, numpy_version="0.0.1")
    with pytest.warns(MixedCodeWarning) as caught:
        res = run_sweep(config, out=tmp_path, resume=True, progress=False)
    (message,) = res.warnings
    assert str(caught[0].message) == message
    assert "reuses 3 chunk(s) (0-2) computed by different code" in message
    assert f"git {'a' * 12}, this run git {'b' * 12}" in message
    assert "numpy " in message and "-> 0.0.1" in message and "without --resume" in message
    m = results.load_manifest(res.path)
    assert [r["git"]["revision"] for r in m["runs"]] == ["a" * 40, "a" * 40, "b" * 40]
    assert m["runs"][-1]["versions"]["numpy"] == "0.0.1" != m["runs"][0]["versions"]["numpy"]
    assert m["runs"][-1]["reused_from_other_code"] == [0, 1, 2]
    assert m["mixed_code"] is True
    assert [c["run"] for c in m["chunks"]] == [0, 0, 0, 2]
    assert shard_metadata(res.path / "part-00003.parquet")["git_revision"] == "b" * 40

    # a report callback receives the message instead of a warning
    got = []
    (res.path / "part-00003.parquet").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run_sweep(config, out=tmp_path, resume=True, progress=False, warn=got.append)
    assert len(got) == 1 and "computed by different code" in got[0]
    # a fresh run replaces every chunk: one version of the code again
    assert run_sweep(config, out=tmp_path, progress=False).manifest["mixed_code"] is False


def git(*args, cwd):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_revision_comes_from_the_package_folder(tmp_path):
    repo = tmp_path / "repo"
    pkg = repo / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "mod.py").write_text("x = 1\n")
    (repo / ".gitignore").write_text("site/\n")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "first", cwd=repo)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    got = git_revision(pkg)
    assert (got["revision"], got["dirty"], got["diff"]) == (head, False, None)
    (pkg / "mod.py").write_text("x = 2\n")
    edited = git_revision(pkg)
    assert edited["dirty"] is True and len(edited["diff"]) == 16
    (pkg / "mod.py").write_text("x = 3\n")
    assert git_revision(pkg)["diff"] != edited["diff"]
    # an installed copy inside someone's repository (ignored, untracked) has no known revision
    installed = repo / "site" / "pkg"
    installed.mkdir(parents=True)
    (installed / "mod.py").write_text("x = 1\n")
    for folder in (installed, tmp_path / "elsewhere"):
        folder.mkdir(exist_ok=True)
        out = git_revision(folder)
        assert (out["revision"], out["dirty"], out["diff"]) == ("unknown", None, None)
        assert out["package_version"] == runner.versions()["crisis-bargaining"]


def test_backends():
    assert isinstance(make_backend(1), SerialBackend)
    assert make_backend(2).n_jobs == 2
    assert sorted(JoblibBackend(2).map(abs, [-3, -1, -2])) == [1, 2, 3]
    assert JoblibBackend(-1).workers(1) == 1
    with pytest.raises(ValueError, match="n_jobs = 0"):
        JoblibBackend(0)


def test_default_results_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CRISIS_RESULTS", str(tmp_path / "env"))
    res = run_sweep(small(tmp_path), progress=False)
    assert res.path == tmp_path / "env" / "small"
    assert len(results.load("small")) == 15
    with pytest.raises(FileNotFoundError, match="no results for 'nothing'.*results in .*: small"):
        results.load("nothing")
