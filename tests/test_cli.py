"""The ``crisis`` command line: list, describe, solve, sweep, reproduce."""

import json
import subprocess
import sys
import textwrap

import pytest

import experiments.cli as cli_module
import experiments.reproduce as reproduce_module
from experiments import results, runner
from experiments.cli import main
from experiments.config import bundled
from model import registry


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "risk_return" in out and "Risk-return tradeoff" in out
    for name in bundled():
        assert name in out


def test_describe(capsys):
    code, out, _ = run(capsys, "describe", "risk_return")
    assert code == 0
    assert "Fearon" in out and "hazard" in out
    lines = {
        line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and line.split()
    }
    specs = registry.get("risk_return").param_specs
    assert str(specs["belief_scale"].bounds) in lines["belief_scale"] and "[0, 1]" in lines["p"]
    assert "probability of winning" in lines["p"] and "0.5" in lines["p"]


def test_solve_json(capsys):
    code, out, _ = run(capsys, "solve", "risk_return", "--set", "p=0.6", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "risk_return" and data["params"]["p"] == 0.6
    assert abs(sum(data["realised"].values()) - 1) < 1e-12
    assert data["certificate"]["passed"] is True


def test_solve_summary(capsys):
    code, out, _ = run(capsys, "solve", "risk_return", "-s", "c_B_hi=0.5", "-s", "belief_scale=2")
    assert code == 0
    assert "c_B_hi=0.5" in out and "certificate" in out and "realised" in out


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["--set", "p=2"], ["p = 2 is out of range", "p must lie in [0, 1]"]),
        (["--set", "q=1"], ["unknown parameter", "q", "valid names: p, c_A"]),
        (["--set", "p"], ["--set expects NAME=VALUE"]),
        (["--set", "p=abc"], ["'abc' is not a number"]),
        (["--set", "p=0.1", "--set", "p=0.2"], ["--set p is given twice"]),
        (["--set", "c_B_lo=0.5", "--set", "c_B_hi=0.3"], ["c_B_lo = 0.5", "c_B_hi = 0.3"]),
    ],
)
def test_solve_bad_input_exits_2_with_a_message(capsys, argv, needles):
    code, out, err = run(capsys, "solve", "risk_return", *argv)
    assert code == 2 and out == ""
    assert err.startswith("crisis solve: error: ") and "Traceback" not in err
    for needle in needles:
        assert needle in err


def test_unknown_model_exits_2(capsys):
    code, _, err = run(capsys, "describe", "fearon")
    assert code == 2 and "unknown model 'fearon'; available models: " in err
    assert "risk_return" in err


@pytest.mark.parametrize("sub", [None, "list", "describe", "solve", "sweep", "reproduce"])
def test_help(capsys, sub):
    code, out, _ = run(capsys, *([sub] if sub else []), "--help")
    assert code == 0 and "usage: crisis" in out
    if sub in ("sweep", "reproduce"):
        assert "--jobs" in out and "--resume" in out and "--smoke" in out


def test_usage_errors(capsys):
    assert (
        run(
            capsys,
        )[0]
        == 2
    )
    code, _, err = run(capsys, "sweep", "risk_return_misperception", "--jobs", "0")
    assert code == 2 and "--jobs" in err
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and "invalid choice" in err


def test_sweep_smoke(capsys, tmp_path):
    code, out, err = run(
        capsys,
        "sweep",
        "risk_return_misperception",
        "--smoke",
        "--out",
        str(tmp_path),
        "-j",
        "1",
        "-q",
    )
    assert code == 0, err
    folder = tmp_path / "risk_return_misperception"
    assert f"results: {folder}" in out and "90 rows" in out
    frame = results.load(folder)
    assert len(frame) == 90 and frame["certified"].all()
    assert results.load_manifest(folder)["smoke"] is True
    # resuming with the full-size config into the same folder is refused
    code, _, err = run(
        capsys, "sweep", "risk_return_misperception", "--out", str(tmp_path), "--resume", "-q"
    )
    assert code == 2 and "different config" in err
    code, out, _ = run(
        capsys,
        "sweep",
        "risk_return_misperception",
        "--smoke",
        "--out",
        str(tmp_path),
        "--resume",
        "-q",
    )
    assert code == 0 and "0 computed, 1 reused" in out


def test_sweep_smoke_default_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CRISIS_RESULTS", str(tmp_path))
    code, out, _ = run(capsys, "sweep", "risk_return_demand_curve", "--smoke", "-j", "1", "-q")
    assert code == 0
    assert len(results.load(tmp_path / "smoke" / "risk_return_demand_curve")) == 3 * 41


def test_sweep_of_a_config_file_with_errors(capsys, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\nmodel = "risk_return"\n'
        '[design]\nkind = "grid"\nseed = 1\n[parameters]\np = 2\n'
    )
    code, _, err = run(capsys, "sweep", str(path), "--out", str(tmp_path))
    assert code == 2
    assert "mine.toml: parameters.p: p = 2 is out of range: p must lie in [0, 1]" in err
    code, _, err = run(capsys, "sweep", "nope", "--out", str(tmp_path))
    assert code == 2 and "bundled configs: " in err


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def test_interrupted_sweep_suggests_the_same_command_with_resume(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(cli_module, "run_sweep", interrupt)
    out_dir = tmp_path / "my results"
    code, _, err = run(
        capsys, "sweep", "risk_return_misperception", "--smoke", "--out", str(out_dir), "-j", "2"
    )
    assert code == 130
    assert f"finished chunks are kept in {out_dir / 'risk_return_misperception'}" in err
    assert (
        "continue with `crisis sweep risk_return_misperception --resume --smoke --jobs 2 "
        f"--out '{out_dir}'`"
    ) in err
    code, _, err = run(capsys, "sweep", "risk_return_misperception", "-q")
    assert code == 130 and "`crisis sweep risk_return_misperception --resume --quiet`" in err
    monkeypatch.setattr(reproduce_module, "run_sweep", interrupt)
    code, _, err = run(capsys, "reproduce", "--smoke", "--out", "r", "--figures", "f")
    assert code == 130
    assert "continue with `crisis reproduce --resume --smoke --out r --figures f`" in err


def test_incomplete_results_suggest_the_command_that_finishes_them(tmp_path, monkeypatch):
    monkeypatch.setenv("CRISIS_RESULTS", str(tmp_path / "default"))
    mine = tmp_path / "mine.toml"
    mine.write_text(
        'name = "mine"\nmodel = "risk_return"\n[design]\nkind = "grid"\nseed = 1\n'
        "[parameters]\nc_B_hi = { range = [0.2, 0.6], num = 6 }\n[run]\nchunk_size = 2\n"
        "[smoke.parameters]\nc_B_hi = { num = 4 }\n"
    )
    cases = [
        (["risk_return_misperception", "--smoke", "--out", str(tmp_path / "o")], "o"),
        (["risk_return_misperception", "--smoke"], "default/smoke"),
        ([str(mine), "--out", str(tmp_path / "o")], "o"),
        ([str(mine), "--smoke"], "default/smoke"),
    ]
    expected = [
        f"crisis sweep risk_return_misperception --resume --smoke --out {tmp_path / 'o'}",
        "crisis sweep risk_return_misperception --resume --smoke`",
        f"crisis sweep mine.toml --resume --out {tmp_path / 'o'}",
        "crisis sweep mine.toml --resume --smoke`",
    ]
    for (argv, where), hint in zip(cases, expected, strict=True):
        assert main(["sweep", *argv, "-j", "1", "-q"]) == 0
        name = "mine" if "mine.toml" in argv[0] else "risk_return_misperception"
        folder = tmp_path / where / name
        (folder / "part-00000.parquet").unlink()
        with pytest.raises(results.IncompleteResultsError) as info:
            results.load(folder)
        assert hint in str(info.value)


def test_resume_with_other_code_warns_on_stderr(capsys, tmp_path, monkeypatch):
    mine = tmp_path / "two.toml"
    mine.write_text(
        'name = "two"\nmodel = "risk_return"\n[design]\nkind = "grid"\nseed = 1\n'
        "[parameters]\nc_B_hi = { range = [0.2, 0.6], num = 4 }\n[run]\nchunk_size = 2\n"
    )
    argv = ["sweep", str(mine), "--out", str(tmp_path), "-j", "1", "-q"]
    fake = {"revision": "e" * 40, "dirty": False, "diff": None, "package_version": None}
    monkeypatch.setattr(runner, "git_revision", lambda: dict(fake))
    assert run(capsys, *argv)[0] == 0
    (tmp_path / "two" / "part-00001.parquet").unlink()
    code, out, err = run(capsys, *argv, "--resume")
    assert code == 0 and "1 computed, 1 reused" in out and err == ""  # the same code
    (tmp_path / "two" / "part-00001.parquet").unlink()
    monkeypatch.setattr(runner, "git_revision", lambda: dict(fake, revision="f" * 40))
    code, out, err = run(capsys, *argv, "--resume")
    assert code == 0 and "1 computed, 1 reused" in out
    (line,) = err.strip().splitlines()
    assert line.startswith("crisis sweep: warning: ") and "computed by different code" in line
    assert f"git {'e' * 12}, this run git {'f' * 12}" in line


def test_sweep_whose_inputs_the_function_rejects_exits_2_and_keeps_results(capsys, tmp_path):
    path = tmp_path / "d.toml"
    text = (
        'name = "d"\nmodel = "risk_return"\nfunction = "outcomes_at_demand"\n'
        '[design]\nkind = "grid"\nseed = 1\n[inputs]\ndemand = {{ range = [0, {hi}], num = 3 }}\n'
    )
    path.write_text(text.format(hi=1))
    assert run(capsys, "sweep", str(path), "--out", str(tmp_path), "-q", "-j", "1")[0] == 0
    path.write_text(text.format(hi=2))
    code, out, err = run(capsys, "sweep", str(path), "--out", str(tmp_path), "-q", "-j", "1")
    assert code == 2 and out == "" and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("crisis sweep: error: d.toml: risk_return.outcomes_at_demand() fails")
    assert "demand" in line and "[0, 1]" in line
    assert len(results.load(tmp_path / "d")) == 3  # the earlier results are still there


def fake_figures(tmp_path, monkeypatch, body):
    """A figures package with one figure module ``demo`` and two modules to be skipped."""
    name = f"fakefigs_{tmp_path.name}"
    pkg = tmp_path / "src" / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "style.py").write_text("raise RuntimeError('style is not a figure')\n")
    (pkg / "_common.py").write_text("raise RuntimeError('private modules are not figures')\n")
    (pkg / "demo.py").write_text(textwrap.dedent(body))
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    monkeypatch.setattr(reproduce_module, "FIGURES_PACKAGE", name)
    return name


DEMO = """
    from pathlib import Path

    from experiments import results

    REQUIRES = ["risk_return_misperception", "risk_return_demand_curve"]


    def draw(results_dir: Path, out_dir: Path) -> list[Path]:
        rows = [len(results.load(name, results_dir)) for name in REQUIRES]
        out = out_dir / "demo.txt"
        out.write_text(" ".join(map(str, rows)))
        return [out]
"""


def test_reproduce_runs_every_config_then_every_figure(capsys, tmp_path, monkeypatch):
    fake_figures(tmp_path, monkeypatch, DEMO)
    res, figs = tmp_path / "res", tmp_path / "figs"
    code, out, err = run(
        capsys, "reproduce", "--smoke", "-j", "1", "-q", "--out", str(res), "--figures", str(figs)
    )
    assert code == 0, err
    assert (figs / "demo.txt").read_text() == "90 123"
    for name in bundled():
        assert results.load_manifest(name, res)["complete"]
    assert f"figure fakefigs_{tmp_path.name}.demo: {figs / 'demo.txt'}" in out
    assert "1 file(s) from 1 module(s)" in out


def test_reproduce_checks_requirements_before_running(capsys, tmp_path, monkeypatch):
    fake_figures(
        tmp_path, monkeypatch, DEMO.replace('"risk_return_demand_curve"', '"missing_sweep"')
    )
    code, _, err = run(capsys, "reproduce", "--smoke", "-q", "--out", str(tmp_path / "res"))
    assert code == 2 and "requires experiment(s) missing_sweep" in err
    assert not (tmp_path / "res").exists()


def test_reproduce_rejects_a_figure_module_without_draw(capsys, tmp_path, monkeypatch):
    fake_figures(tmp_path, monkeypatch, "REQUIRES = []\n")
    code, _, err = run(capsys, "reproduce", "--smoke", "-q", "--out", str(tmp_path / "res"))
    assert code == 2 and "must define draw(results_dir, out_dir)" in err


def test_python_dash_m_experiments():
    done = subprocess.run(
        [sys.executable, "-m", "experiments", "list"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "risk_return" in done.stdout


# -- solving any game: crisis solve --game --------------------------------------------------------
def test_solve_catalogue_game_with_pbe_and_selection(capsys):
    code, out, _ = run(
        capsys, "solve", "--game", "beer_quiche", "-m", "pbe", "--select", "intuitive"
    )
    assert code == 0
    assert "2 equilibria" in out and "selection rule intuitive: #1" in out
    assert out.count("certificate passed") == 2
    # the beer-pooling equilibrium survives the Intuitive Criterion, the quiche one does not
    first, second = out.split("#2 ")[0], out.split("#2 ")[1]
    assert "S.weak: beer 1" in first and "intuitive criterion yes" in first
    assert "S.weak: quiche 1" in second and "intuitive criterion no" in second


def test_solve_gambit_files(capsys, tmp_path):
    from model import catalog

    efg = tmp_path / "poker.efg"
    efg.write_text(catalog.one_card_poker().to_efg())
    code, out, _ = run(capsys, "solve", "--game", str(efg), "--method", "lcp", "--json")
    assert code == 0
    data = json.loads(out)
    (eq,) = data["equilibria"]
    assert eq["certificate"]["passed"]
    assert eq["profile"]["1.black"][0] == pytest.approx(1 / 3, abs=1e-9)
    assert eq["payoffs"]["1"] == pytest.approx(1 / 3, abs=1e-9)
    nfg = tmp_path / "bos.nfg"
    nfg.write_text('NFG 1 R "battle of the sexes" { "row" "column" } { 2 2 }\n2 1 0 0 0 0 1 2\n')
    code, out, _ = run(capsys, "solve", "--game", str(nfg), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["method"] == "vertex" and len(data["equilibria"]) == 3


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--game", "no_such_game"], "no such file, and not a catalogue game"),
        (["risk_return", "--game", "beer_quiche"], "not both"),
        (["risk_return", "--method", "lcp"], "apply to --game"),
        (["--game", "selten_horse", "--method", "lcp"], "needs a two-player game"),
        (["--game", "matching_pennies", "--method", "pbe"], "needs a tree"),
        ([], "name a MODEL"),
    ],
)
def test_solve_game_errors_exit_2(capsys, argv, needle):
    code, _, err = run(capsys, "solve", *argv)
    assert code == 2 and needle in err


def test_solve_malformed_gambit_file_names_the_line(capsys, tmp_path):
    bad = tmp_path / "bad.efg"
    bad.write_text('EFG 2 R "x" { "a" "b" }\np "" 1 1 "" { "l" "r" \n')
    code, _, err = run(capsys, "solve", "--game", str(bad))
    assert code == 2 and "line" in err
