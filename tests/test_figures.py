"""Figures draw from stored results: tiny synthetic results made with the real model functions."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import figures
from experiments.config import bundled
from experiments.reproduce import Reproduction, reproduce
from figures import audience_costs, demand_size, misperception, style
from model.games import crisis_signalling, risk_return

FIXED = {"p": 0.5, "c_A": 0.1, "c_B_lo": 0.0}


def write_experiment(results_dir: Path, name: str, table: pd.DataFrame, n_shards: int = 2) -> Path:
    """Store ``table`` like the sweep engine: shuffled Parquet shards plus a manifest."""
    where = results_dir / name
    where.mkdir(parents=True)
    table = table.assign(row=np.arange(len(table)), seed=np.zeros(len(table), dtype=np.int64))
    shuffled = table.sample(frac=1.0, random_state=0)
    for i, part in enumerate(np.array_split(np.arange(len(shuffled)), n_shards)):
        shuffled.iloc[part].to_parquet(where / f"part-{i:05d}.parquet", engine="pyarrow")
    (where / "manifest.json").write_text(json.dumps({"name": name, "rows": len(table)}))
    return where


def demand_curve_table(levels=(0.2, 0.4, 0.6), n_demands: int = 41) -> pd.DataFrame:
    hi, x = (
        a.ravel() for a in np.meshgrid(levels, np.linspace(0.0, 1.0, n_demands), indexing="ij")
    )
    params = risk_return.Params(**FIXED, c_B_hi=hi, belief_scale=1.0)
    out = risk_return.outcomes_at_demand(params, x)
    cols = {k: np.broadcast_to(v, hi.shape) for k, v in params.values().items()}
    return pd.DataFrame({**cols, **{k: np.asarray(v) for k, v in out.items()}})


def misperception_table(n_scale: int = 9, n_hi: int = 6) -> pd.DataFrame:
    k, hi = (
        a.ravel()
        for a in np.meshgrid(np.geomspace(0.25, 4.0, n_scale), np.linspace(0.1, 1.0, n_hi))
    )
    params = risk_return.Params(**FIXED, c_B_hi=hi, belief_scale=k)
    cols = {k_: np.broadcast_to(v, hi.shape) for k_, v in params.values().items()}
    return pd.DataFrame({**cols, **risk_return.solve(params).columns()})


def audience_cost_table(n_pi: int = 11) -> pd.DataFrame:
    pi, a = (a.ravel() for a in np.meshgrid(np.linspace(0.05, 0.95, n_pi), [0.25, 1.0, 4.0]))
    params = crisis_signalling.Params(pi=pi, a=a, d=3.0, w_unresolved=-5.0)
    cols = {k: np.broadcast_to(v, pi.shape) for k, v in params.values().items()}
    return pd.DataFrame({**cols, **crisis_signalling.solve(params, method="pbe").columns()})


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    root = tmp_path / "results"
    write_experiment(root, "risk_return_demand_curve", demand_curve_table())
    write_experiment(root, "risk_return_misperception", misperception_table())
    write_experiment(root, "crisis_signalling_audience_costs", audience_cost_table())
    return root


def assert_written(paths: list[Path]) -> None:
    suffixes = sorted(p.suffix for p in paths)
    assert suffixes == [".pdf", ".png"]
    for p in paths:
        assert p.is_file() and p.stat().st_size > 1000, p
    pdf = next(p for p in paths if p.suffix == ".pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # TrueType fonts embedded (pdf.fonttype 42)
    assert b"/Subtype /Type3" not in pdf


FIGURES = [demand_size, misperception, audience_costs]


@pytest.mark.parametrize("module", FIGURES, ids=lambda m: m.__name__)
def test_figure_draws_from_synthetic_results(module, results_dir: Path, tmp_path: Path) -> None:
    paths = module.draw(results_dir, tmp_path / "out")
    assert_written(paths)
    assert all(p.parent == tmp_path / "out" for p in paths)


def test_every_figure_module_defines_requires_and_draw() -> None:
    found = figures.discover()
    assert {"demand_size", "misperception", "audience_costs"} <= set(found)
    for name, mod in found.items():
        assert isinstance(mod.REQUIRES, list) and mod.REQUIRES, name
        assert all(isinstance(r, str) and r for r in mod.REQUIRES), name
        assert list(inspect.signature(mod.draw).parameters) == ["results_dir", "out_dir"], name
        assert (mod.__doc__ or "").strip(), f"figures.{name} needs a module docstring"


def test_draw_all_writes_every_figure(results_dir: Path, tmp_path: Path) -> None:
    only = {name: mod for name, mod in figures.discover().items() if mod in FIGURES}
    written = {name: mod.draw(results_dir, tmp_path / "out") for name, mod in only.items()}
    assert set(written) == {m.__name__.rsplit(".", 1)[-1] for m in FIGURES}
    for paths in written.values():
        assert_written(paths)


@pytest.fixture(scope="module")
def smoke_reproduction(tmp_path_factory: pytest.TempPathFactory) -> Reproduction:
    """Every bundled config swept at its smoke size by the real engine, every figure drawn."""
    root = tmp_path_factory.mktemp("reproduce")
    return reproduce(
        smoke=True, results_dir=root / "results", figures_dir=root / "figures", progress=False
    )


def test_reproduce_draws_every_figure_module_from_real_sweeps(smoke_reproduction) -> None:
    """A figure added as one file is drawn by ``crisis reproduce`` from its config's results."""
    drawn = {name.rsplit(".", 1)[-1]: paths for name, paths in smoke_reproduction.figures.items()}
    assert set(drawn) == set(figures.discover())
    for name, paths in drawn.items():
        assert paths, f"figures.{name} wrote no file"
        assert_written(paths)
    assert {s.path.name for s in smoke_reproduction.sweeps} == set(bundled())


@pytest.mark.parametrize("module", FIGURES, ids=lambda m: m.__name__)
def test_missing_results_name_the_experiment_and_command(module, tmp_path: Path) -> None:
    name = module.REQUIRES[0]
    with pytest.raises(style.ResultsNotFoundError) as err:
        module.draw(tmp_path / "nothing_here", tmp_path / "out")
    msg = str(err.value)
    assert repr(name) in msg and f"crisis sweep {name}" in msg
    assert not (tmp_path / "out").exists()


def test_empty_results_dir_is_reported(tmp_path: Path) -> None:
    (tmp_path / "risk_return_misperception").mkdir()
    with pytest.raises(FileNotFoundError, match="no part-"):
        misperception.draw(tmp_path, tmp_path / "out")


def test_load_results_restores_design_order(results_dir: Path) -> None:
    table = style.load_results(results_dir, "risk_return_demand_curve")
    assert table["row"].tolist() == list(range(len(table)))
    expected = demand_curve_table()
    np.testing.assert_allclose(table["realised_war"], expected["realised_war"])


def test_missing_column_is_reported(tmp_path: Path) -> None:
    table = demand_curve_table().drop(columns=["eu_realised_challenger"])
    write_experiment(tmp_path, "risk_return_demand_curve", table)
    with pytest.raises(ValueError, match="eu_realised_challenger"):
        demand_size.draw(tmp_path, tmp_path / "out")


def test_figure_rejects_varying_fixed_parameter(tmp_path: Path) -> None:
    table = pd.concat([demand_curve_table(), demand_curve_table().assign(c_A=0.2)])
    write_experiment(tmp_path, "risk_return_demand_curve", table.reset_index(drop=True))
    with pytest.raises(ValueError, match="single value of c_A"):
        demand_size.draw(tmp_path, tmp_path / "out")


def test_symmetric_limits_centre_zero() -> None:
    assert style.symmetric_limits([-0.2, 0.5]) == (-0.5, 0.5)
    assert style.symmetric_limits([0.0, 0.0]) == (-1e-3, 1e-3)


def test_audience_cost_figure_refuses_uncertified_results(tmp_path: Path) -> None:
    table = audience_cost_table().assign(certified=False)
    write_experiment(tmp_path, "crisis_signalling_audience_costs", table)
    with pytest.raises(ValueError, match="failed their certificate"):
        audience_costs.draw(tmp_path, tmp_path / "out")
