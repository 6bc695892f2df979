"""The ``crisis`` command: list, describe and solve models; run sweeps; reproduce the paper.

Usage
-----
::

    crisis list                                   models and bundled sweep configs
    crisis describe risk_return                   the model's math and its parameters
    crisis solve risk_return --set p=0.6 [--json] one parameter point
    crisis solve --game FILE.efg [--method M]     any game: a Gambit .efg/.nfg file or a
                 [--select RULE] [--json]          catalogue game (crisis list shows them)
    crisis sweep risk_return_misperception [--jobs N] [--resume] [--smoke] [--out DIR]
    crisis reproduce [--smoke] [--jobs N]         every sweep, then every figure

``python -m experiments ...`` is the same command. A mistake in the command line, a config or a
parameter value exits with status 2 and a one-line message on standard error. Warnings (e.g. a
resumed sweep reusing chunks computed by other code) go to standard error too. After an
interruption the command prints the command that continues the run, with the flags it was given.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from experiments import paths
from experiments.backends import make_backend
from experiments.config import ConfigError, bundled, load_config
from experiments.runner import ResumeError, output_dir, run_sweep
from model.solvers.api import METHODS as METHOD_HELP
from model.solvers.selection import RULES as RULE_HELP

__all__ = ["build_parser", "main"]

PROG = "crisis"


class UsageError(Exception):
    """A mistake by the user: reported in one line, exit status 2."""


# -- subcommands -------------------------------------------------------------------------------
def _registry() -> Any:
    from model import registry

    return registry


def _model(name: str) -> Any:
    try:
        return _registry().get(name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def cmd_list(args: argparse.Namespace) -> int:
    """Print the registered models and the bundled sweep configs."""
    registry = _registry()
    names = registry.available()
    width = max((len(n) for n in names), default=0)
    print("Models (crisis describe MODEL, crisis solve MODEL):")
    for name in names:
        print(f"  {name:<{width}}  {registry.get(name).title}")
    games = _catalog_games()
    print("\nCatalogue games (crisis solve --game NAME):")
    width = max(len(n) for n in games)
    for name, fn in games.items():
        line = (fn.__doc__ or "").strip().splitlines()[0].removeprefix("Return ")
        print(f"  {name:<{width}}  {line}")
    configs = bundled()
    if configs:
        print("\nBundled sweeps (crisis sweep NAME):")
        width = max(len(n) for n in configs)
        for name, path in configs.items():
            try:
                text = load_config(path).description
            except ConfigError as exc:
                text = f"(invalid: {exc})"
            print(f"  {name:<{width}}  {text}")
    return 0


def _param_table(spec: Any) -> str:
    rows = [("name", "default", "range", "meaning")]
    for name, p in spec.param_specs.items():
        rows.append((name, f"{p.default:g}", str(p.bounds), p.doc))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for i, (name, default, rng, doc) in enumerate(rows):
        lines.append(f"  {name:<{widths[0]}}  {default:>{widths[1]}}  {rng:<{widths[2]}}  {doc}")
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 7)
    return "\n".join(lines)


def cmd_describe(args: argparse.Namespace) -> int:
    """Print a model's docstring (the game, its source and math) and its parameter table."""
    spec = _model(args.model)
    print(f"{spec.name}: {spec.title}\n")
    body = spec.doc.split("\n", 1)[1].strip("\n") if "\n" in spec.doc else ""
    if body:
        print(body + "\n")
    print(f"Parameters of {spec.name} (crisis solve {spec.name} --set NAME=VALUE):")
    print(_param_table(spec))
    return 0


def _parse_sets(items: Sequence[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--set expects NAME=VALUE (e.g. --set p=0.6), got {item!r}")
        if name in values:
            raise UsageError(f"--set {name} is given twice")
        try:
            values[name] = float(text)
        except ValueError:
            raise UsageError(f"--set {name}={text}: {text!r} is not a number") from None
    return values


def _catalog_games() -> dict[str, Any]:
    """Name -> builder of every catalogue game that takes no required argument."""
    import inspect

    from model import catalog

    out = {}
    for name in catalog.__all__:
        fn = getattr(catalog, name)
        params = inspect.signature(fn).parameters.values()
        if name != "bimatrix_tree" and all(
            p.default is not p.empty or p.kind is p.VAR_KEYWORD for p in params
        ):
            out[name] = fn
    return out


def _load_game(source: str) -> Any:
    """A game from a Gambit file (.efg or .nfg) or the name of a catalogue game."""
    from model.gambit import read_efg, read_nfg
    from model.strategic import StrategicGame

    games = _catalog_games()
    path = Path(source)
    if not path.exists():
        if source in games:
            game = games[source]()
            if isinstance(game, tuple):
                return StrategicGame.from_bimatrix(*game, title=source)
            return game
        raise UsageError(
            f"--game {source}: no such file, and not a catalogue game ({', '.join(games)})"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--game {source}: cannot read the file ({exc})") from None
    head = text.lstrip()[:3].upper()
    try:
        if head == "EFG":
            return read_efg(text)
        if head == "NFG":
            return read_nfg(text)
    except ValueError as exc:
        raise UsageError(f"--game {source}: {exc}") from None
    raise UsageError(f"--game {source}: not a Gambit game file (it must start with EFG or NFG)")


def _fmt_probs(labels: Sequence[str], probs: Any) -> str:
    parts = [f"{a} {float(q):.4g}" for a, q in zip(labels, probs, strict=True) if float(q) > 0]
    return ", ".join(parts)


def _print_game_solution(game: Any, out: Any) -> None:
    from model.tree import Game

    title = getattr(game, "title", "") or "game"
    print(f"{title}: players {', '.join(game.players)}")
    print(
        f"method: {out.method} ({out.solver}); {len(out.equilibria)} equilibri"
        f"{'um' if len(out.equilibria) == 1 else 'a'}"
        f"{'' if out.converged else '; WARNING: the solver did not converge'}"
    )
    if out.rule:
        pick = "none qualifies" if out.selected is None else f"#{out.selected + 1}"
        print(f"selection rule {out.rule}: {pick}")
    for i, e in enumerate(out.equilibria, start=1):
        cert = e.certificate
        verdict = "passed" if cert.all_passed else "FAILED"
        pays = ", ".join(f"{p} {float(v):.4g}" for p, v in zip(out.players, e.payoffs, strict=True))
        flags = ""
        if e.intuitive is not None:
            flags = f"; intuitive criterion {'yes' if e.intuitive else 'no'}"
            flags += f", D1 {'yes' if e.d1 else 'no'}"
        print(f"\n#{i} {e.label}: payoffs {pays}{flags}")
        print(
            f"   certificate {verdict}: max regret {float(np.max(cert.max_regret)):.3g}, "
            f"Bayes gap {float(np.max(cert.bayes_gap)):.3g} (tolerance {cert.tolerance:.3g})"
        )
        for key, probs in e.profile.items():
            labels = (
                game.infosets[key].actions
                if isinstance(game, Game)
                else game.strategies[game.players.index(key)]
            )
            print(f"   {key}: {_fmt_probs(labels, probs)}")
        if e.beliefs and isinstance(game, Game):
            for key, mu in e.beliefs.items():
                nodes = [game.nodes[h].name for h in game.infosets[key].nodes]
                print(f"   belief at {key}: {_fmt_probs(nodes, mu)}")
        for name, value in e.details.items():
            if value not in ({}, None):
                print(f"   {name.replace('_', ' ')}: {value}")


def _solve_game(args: argparse.Namespace) -> int:
    from model.solvers.api import solve_game

    game = _load_game(args.game)
    try:
        out = solve_game(game, args.method, select=args.select)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(out.to_dict(), indent=2))
    else:
        _print_game_solution(game, out)
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    """Solve a model at one parameter point, or any game, and print the solution."""
    if args.game is not None:
        if args.model is not None or args.set:
            raise UsageError("give either MODEL (with --set) or --game FILE, not both")
        return _solve_game(args)
    if args.method != "auto" or args.select is not None:
        raise UsageError("--method and --select apply to --game; a model has its own solver")
    if args.model is None:
        raise UsageError("name a MODEL (see `crisis list`) or pass --game FILE")
    spec = _model(args.model)
    values = _parse_sets(args.set or [])
    try:
        params = spec.params.from_mapping(values)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    solution = spec.solve(params)
    if args.json:
        print(json.dumps(solution.to_dict(), indent=2, default=str))
    else:
        print(solution.summary())
    return 0


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if jobs == 0 or jobs < -1:
        raise argparse.ArgumentTypeError(
            f"{jobs} workers: give a positive number, or -1 for all CPUs"
        )
    return jobs


def _warner(command: str) -> Any:
    """A ``warn`` callback printing ``crisis COMMAND: warning: ...`` on standard error."""

    def warn(message: str) -> None:
        print(f"{PROG} {command}: warning: {message}", file=sys.stderr)

    return warn


def _resume_command(args: argparse.Namespace) -> str:
    """The command that continues an interrupted ``sweep`` or ``reproduce``.

    It is the same command with ``--resume``, keeping ``--smoke``, ``--jobs``, ``--out``,
    ``--figures`` and ``--quiet`` as given.
    """
    argv = [PROG, args.command]
    if args.command == "sweep":
        argv.append(str(args.config))
    argv.append("--resume")
    if args.smoke:
        argv.append("--smoke")
    if args.jobs != -1:
        argv += ["--jobs", str(args.jobs)]
    if args.out is not None:
        argv += ["--out", str(args.out)]
    if getattr(args, "figures", None) is not None:
        argv += ["--figures", str(args.figures)]
    if args.quiet:
        argv.append("--quiet")
    return shlex.join(argv)


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run one sweep config and print where the results went."""
    config = load_config(args.config, smoke=args.smoke)
    folder = output_dir(config, args.out)
    try:
        result = run_sweep(
            config,
            out=args.out,
            backend=make_backend(args.jobs),
            resume=args.resume,
            progress=not args.quiet,
            warn=_warner("sweep"),
        )
    except KeyboardInterrupt:
        print(
            f"{PROG} sweep: interrupted; finished chunks are kept in {folder}; continue with "
            f"`{_resume_command(args)}`",
            file=sys.stderr,
        )
        return 130
    print(
        f"{config.name}: {result.n_rows} rows in {result.n_chunks} chunk(s) "
        f"({len(result.computed)} computed, {len(result.reused)} reused), config hash "
        f"{result.config_hash[:12]}"
    )
    print(f"results: {result.path}")
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Run every bundled sweep, then draw every figure."""
    from experiments.reproduce import FigureModuleError, reproduce

    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        done = reproduce(
            smoke=args.smoke,
            backend=make_backend(args.jobs),
            resume=args.resume,
            results_dir=args.out,
            figures_dir=args.figures,
            progress=not args.quiet,
            report=print,
            warn=_warner("reproduce"),
        )
    except FigureModuleError as exc:
        raise UsageError(str(exc)) from None
    except ModuleNotFoundError as exc:
        raise UsageError(f"cannot import the figures package: {exc}") from None
    except KeyboardInterrupt:
        print(
            f"{PROG} reproduce: interrupted; continue with `{_resume_command(args)}`",
            file=sys.stderr,
        )
        return 130
    n_fig = sum(len(v) for v in done.figures.values())
    print(f"results: {done.results_dir}")
    print(f"figures: {done.figures_dir} ({n_fig} file(s) from {len(done.figures)} module(s))")
    return 0


# -- parser ------------------------------------------------------------------------------------
def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=-1,
        metavar="N",
        help="parallel worker processes (joblib); 1 runs in this process; -1 (default): all CPUs",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep finished chunks of the same config and compute only the rest; refuses a "
        "folder holding another config's results",
    )
    p.add_argument(
        "--smoke",
        action="store_true",
        help="apply each config's [smoke] overrides (a small, quick run); results go to the "
        "'smoke' subfolder unless --out is given",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """Build the ``crisis`` argument parser with its subcommands."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Game-theoretic crisis bargaining: when compellence succeeds, fails "
        "peacefully, or fails into war.",
        epilog=textwrap.dedent(
            f"""\
            examples:
              {PROG} list
              {PROG} describe risk_return
              {PROG} solve risk_return --set p=0.6 --set c_B_hi=0.5
              {PROG} solve --game crisis_signalling --method pbe
              {PROG} sweep risk_return_misperception --jobs 4
              {PROG} reproduce --smoke

            results: {paths.results_dir()} (env CRISIS_RESULTS)
            figures: {paths.figures_dir()} (env CRISIS_FIGURES)"""
        ),
        formatter_class=fmt,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "list",
        help="list registered models and bundled sweep configs",
        description="List the registered crisis models (with one-line titles) and the sweep "
        "configs bundled in experiments/configs (with their descriptions).",
    )
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser(
        "describe",
        help="show a model's math and parameters",
        description="Print a model's documentation (the game, its source and its math) and a "
        "table of its parameters: name, default, valid range and meaning.",
    )
    p.add_argument("model", metavar="MODEL", help="a registered model (see `crisis list`)")
    p.set_defaults(handler=cmd_describe)

    p = sub.add_parser(
        "solve",
        help="solve a model at one parameter point",
        description="Solve a model at one parameter point: its defaults, changed with --set. "
        "Prints the equilibrium, outcome probabilities (planned and realised) and the "
        "certificate; --json prints the full solution as JSON. With --game, solve any finite "
        "game (a Gambit file or a catalogue game) with a generic solver: every equilibrium it "
        "finds, with its certificate, beliefs and refinements.",
        epilog=textwrap.dedent(
            f"""\
            examples:
              {PROG} solve risk_return --set p=0.6 --set belief_scale=2 --json
              {PROG} solve --game beer_quiche --method pbe --select intuitive
              {PROG} solve --game my_crisis.efg --method sequential"""
        ),
        formatter_class=fmt,
    )
    p.add_argument(
        "model", metavar="MODEL", nargs="?", help="a registered model (see `crisis list`)"
    )
    p.add_argument(
        "--set",
        "-s",
        action="append",
        metavar="NAME=VALUE",
        help="set a parameter (repeatable); `crisis describe MODEL` lists names and ranges",
    )
    p.add_argument(
        "--game",
        "-g",
        metavar="FILE",
        help="solve a game instead of a model: a Gambit .efg or .nfg file, or the name of a "
        "catalogue game (see `crisis list`)",
    )
    p.add_argument(
        "--method",
        "-m",
        default="auto",
        choices=sorted(METHOD_HELP),
        metavar="METHOD",
        help="solver for --game: " + "; ".join(f"{k}: {v}" for k, v in METHOD_HELP.items()),
    )
    p.add_argument(
        "--select",
        choices=sorted(RULE_HELP),
        metavar="RULE",
        help="mark one equilibrium by a selection rule: "
        + "; ".join(f"{k}: {v}" for k, v in RULE_HELP.items()),
    )
    p.add_argument("--json", action="store_true", help="print the solution as JSON")
    p.set_defaults(handler=cmd_solve)

    p = sub.add_parser(
        "sweep",
        help="run a sweep config",
        description="Run a sweep: solve the config's model over its design (grid or Latin "
        "hypercube), chunk by chunk, writing one Parquet shard per chunk and a manifest "
        "(config hash, seeds, versions, git revision) to OUT/NAME/.",
        epilog=textwrap.dedent(
            f"""\
            CONFIG is a TOML file or the name of a bundled config (see `{PROG} list`).
            examples:
              {PROG} sweep risk_return_misperception --jobs 4
              {PROG} sweep my_sweep.toml --smoke --out scratch
              {PROG} sweep risk_return_misperception --resume"""
        ),
        formatter_class=fmt,
    )
    p.add_argument("config", metavar="CONFIG", help="a config file or bundled config name")
    _add_run_options(p)
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="results root; the sweep writes DIR/NAME/ (default: the results folder, see "
        "`crisis --help`)",
    )
    p.set_defaults(handler=cmd_sweep)

    p = sub.add_parser(
        "reproduce",
        help="run every bundled sweep, then draw every figure",
        description="Run every sweep config in experiments/configs, then every figure module "
        "of the figures package (each declares REQUIRES and draw(results_dir, out_dir)).",
        formatter_class=fmt,
    )
    _add_run_options(p)
    p.add_argument("--out", type=Path, metavar="DIR", help="results root (default: see --help)")
    p.add_argument(
        "--figures", type=Path, metavar="DIR", help="figures folder (default: see --help)"
    )
    p.set_defaults(handler=cmd_reproduce)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``crisis`` command; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has reported
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args))
    except (UsageError, ConfigError, ResumeError) as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
