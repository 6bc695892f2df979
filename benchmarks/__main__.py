"""Run every benchmark, print one table and write ``benchmarks/out/latest.json``.

Usage: ``python -m benchmarks [--points N] [--loop-points N] [--repeat N] [--batch N] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import Row

OUT = Path(__file__).resolve().parent / "out" / "latest.json"


def _fmt_time(seconds: float) -> str:
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _fmt_rate(rate: float) -> str:
    return f"{rate:.3g}"


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("crisis-bargaining", "numpy", "scipy", "nashpy", "pandas", "pygambit"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def table(rows: list[Row]) -> str:
    """The rows as a plain-text table, grouped, with each case's note on the line below."""
    head = ("case", "time per unit", "units/s", "relative")
    width = max(len(r.case) for r in rows) + 2
    lines = []
    group = None
    for r in rows:
        if r.group != group:
            group = r.group
            lines += ["", group.upper(), f"{head[0]:<{width}}{head[1]:>14}{head[2]:>11}  {head[3]}"]
            lines.append("-" * (width + 14 + 11 + 2 + 40))
        if r.seconds != r.seconds:  # NaN: not measured (e.g. an optional peer is missing)
            lines.append(f"{r.case:<{width}}{'n/a':>14}{'n/a':>11}  {r.relative}")
        else:
            per = f"{_fmt_time(r.per_unit)}/{r.unit}"
            lines.append(f"{r.case:<{width}}{per:>14}{_fmt_rate(r.rate):>11}  {r.relative}")
        if r.note:
            lines.append(f"    {r.note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=10**6, help="points of the vectorised solve")
    ap.add_argument("--loop-points", type=int, default=2000, help="points timed in the loop")
    ap.add_argument("--repeat", type=int, default=5, help="repetitions (the best is kept)")
    ap.add_argument("--batch", type=int, default=10_000, help="points of the batched tree solve")
    ap.add_argument(
        "--sweep-points", type=int, default=100_000, help="points of the batched equilibrium sweep"
    )
    ap.add_argument(
        "--gambit-points", type=int, default=200, help="points solved one by one by the peers"
    )
    ap.add_argument("--quick", action="store_true", help="small sizes, skip slow cases")
    ap.add_argument("--out", type=Path, default=OUT, help="JSON output file")
    args = ap.parse_args(argv)
    if args.quick:
        args.points, args.loop_points, args.repeat, args.batch = 10**5, 200, 2, 1000
        args.sweep_points, args.gambit_points = 10_000, 50

    from benchmarks import equilibria, generic_solvers, vectorised

    rows = vectorised.run(args.points, args.loop_points, args.repeat)
    rows += generic_solvers.run(batch=args.batch, repeat=args.repeat, slow=not args.quick)
    rows += equilibria.run(
        sizes=((2, 3), (8, 9)) if args.quick else ((2, 3), (8, 9), (16, 9)),
        sweep_points=args.sweep_points,
        loop_points=args.gambit_points,
        repeat=args.repeat,
        slow=not args.quick,
    )
    print(table(rows))

    record: dict[str, Any] = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.machine(),
            "cpu_count": os.cpu_count(),
        },
        "settings": {
            "points": args.points,
            "loop_points": args.loop_points,
            "repeat": args.repeat,
            "batch": args.batch,
            "quick": args.quick,
            "timing": (
                "best of `repeat` runs with time.perf_counter after one warm-up call; cases "
                "compared with each other run interleaved; cases taking seconds run once"
            ),
        },
        "rows": [r.to_dict() for r in rows],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
