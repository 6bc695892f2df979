"""One place for the look of every figure, the paths figures use, and reading stored results.

Size
----
Figures are drawn at their final printed size. The reference is the text width of the paper,
``TEXT_WIDTH = 6.3`` inches (an A4 or US-letter LaTeX article with 1-inch margins has a text
width of about 6.3-6.5 in); a full-width figure is exactly that wide and is included in LaTeX
with ``\\includegraphics[width=\\textwidth]`` so that fonts print at their nominal size: 8 pt for
labels and titles, 7 pt for ticks and legends.

Look
----
* Vector PDF with embedded TrueType fonts (``pdf.fonttype: 42``), so journals accept the file and
  text stays editable; a PNG preview at ``PREVIEW_DPI`` is written next to it. Dense colour
  meshes are rasterised inside the PDF at ``PDF_RASTER_DPI``; axes, lines and text stay vector.
* Colours come from the Okabe-Ito palette, which stays distinguishable under the common forms of
  colour blindness; outcome classes are also told apart by line style, marker and hatch
  (:data:`OUTCOME_STYLE`), so a figure survives grey-scale printing.
* Continuous probabilities use ``viridis`` (perceptually uniform); signed differences use a
  diverging map centred at zero (``RdBu_r``, see :func:`symmetric_limits`).

Figures are built on :class:`matplotlib.figure.Figure` with an explicit Agg canvas, never through
``pyplot``: drawing has no global state, needs no display, and renders with Agg (PNG) and the PDF
backend whatever interactive backend the user has selected.

Results
-------
The results of an experiment named ``NAME`` live in ``<results_dir>/NAME/`` as Parquet shards
``part-*.parquet`` (plus a ``manifest.json``); :func:`load_results` reads them into one tidy table,
one row per design point, ordered by the design's ``row`` column.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "OUTCOME_LABEL",
    "OUTCOME_STYLE",
    "PREVIEW_DPI",
    "RC",
    "TEXT_WIDTH",
    "fmt_number",
    "OutcomeStyle",
    "ResultsNotFoundError",
    "load_results",
    "new_figure",
    "rc",
    "require_columns",
    "save",
    "single_value",
    "symmetric_limits",
]

#: Width of the LaTeX text block, inches (see the module docstring).
TEXT_WIDTH = 6.3
#: Resolution of the PNG previews.
PREVIEW_DPI = 200
#: Resolution of rasterised colour meshes inside the vector PDF.
PDF_RASTER_DPI = 400

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: Neutral grey for reference lines and annotations.
GREY = "#6E6E6E"

#: Colour map for probabilities (perceptually uniform).
SEQUENTIAL_CMAP = "viridis"
#: Colour map for signed differences (use with :func:`symmetric_limits`).
DIVERGING_CMAP = "RdBu_r"

#: rcParams applied while a figure is drawn and saved (see :func:`rc`).
RC: dict[str, object] = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "mathtext.fontset": "dejavusans",
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "figure.titlesize": 9,
    "figure.labelsize": 8,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(
        color=[
            OKABE_ITO[k]
            for k in (
                "blue",
                "orange",
                "bluish_green",
                "vermillion",
                "reddish_purple",
                "sky_blue",
                "black",
            )
        ]
    ),
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.minor.width": 0.4,
    "ytick.minor.width": 0.4,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "lines.linewidth": 1.3,
    "lines.markersize": 4.0,
    "legend.frameon": False,
    "legend.handlelength": 2.6,
    "hatch.linewidth": 0.6,
    "grid.linewidth": 0.4,
    "grid.color": "#D9D9D9",
    "image.cmap": SEQUENTIAL_CMAP,
    "figure.dpi": 100,
    "savefig.dpi": PDF_RASTER_DPI,
    "savefig.pad_inches": 0.02,
    "figure.constrained_layout.h_pad": 0.03,
    "figure.constrained_layout.w_pad": 0.03,
}


@dataclass(frozen=True)
class OutcomeStyle:
    """How one outcome class is drawn: colour plus redundant, colour-free cues."""

    color: str
    linestyle: str | tuple[int, tuple[int, ...]]
    marker: str
    hatch: str

    def line(self) -> dict[str, object]:
        """Keyword arguments for ``Axes.plot``."""
        return {"color": self.color, "linestyle": self.linestyle, "marker": self.marker}


#: Outcome class -> style; the keys are the values of :class:`model.types.Outcome`.
OUTCOME_STYLE: dict[str, OutcomeStyle] = {
    "status_quo": OutcomeStyle(OKABE_ITO["black"], ":", "s", ""),
    "compliance": OutcomeStyle(OKABE_ITO["bluish_green"], "-", "o", "//"),
    "settlement": OutcomeStyle(OKABE_ITO["sky_blue"], "-.", "D", ".."),
    "backdown": OutcomeStyle(OKABE_ITO["orange"], (0, (5, 1, 1, 1, 1, 1)), "^", "\\\\"),
    "war": OutcomeStyle(OKABE_ITO["vermillion"], "--", "X", "xx"),
}

#: Outcome class -> words for legends.
OUTCOME_LABEL: dict[str, str] = {
    "status_quo": "no demand (status quo)",
    "compliance": "target complies (compellence succeeds)",
    "settlement": "negotiated settlement",
    "backdown": "challenger backs down",
    "war": "war (compellence fails into war)",
}


@contextlib.contextmanager
def rc() -> Iterator[None]:
    """Apply :data:`RC` for the duration of a ``with`` block (drawing and saving)."""
    with mpl.rc_context(RC):
        yield


def new_figure(height: float, width: float = TEXT_WIDTH) -> Figure:
    """A figure of the given final size in inches, with constrained layout and an Agg canvas.

    Call inside :func:`rc` so that the figure picks up the house style.
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, out_dir: Path | str, name: str) -> list[Path]:
    """Write ``fig`` as vector PDF and PNG preview into ``out_dir``.

    Parameters
    ----------
    fig : Figure
        The figure, drawn at its final size.
    out_dir : path
        Output directory; created if missing.
    name : str
        File stem: the files are ``<name>.pdf`` and ``<name>.png``.

    Returns
    -------
    list of Path
        The PDF and the PNG, in that order.

    Notes
    -----
    The PDF carries no creation date, so redrawing from the same results gives the same bytes.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pdf, png = out / f"{name}.pdf", out / f"{name}.png"
    with rc():
        fig.savefig(pdf, format="pdf", dpi=PDF_RASTER_DPI, metadata={"CreationDate": None})
        fig.savefig(png, format="png", dpi=PREVIEW_DPI)
    return [pdf, png]


class ResultsNotFoundError(FileNotFoundError):
    """The stored results a figure needs are missing; the message says how to create them."""


def load_results(results_dir: Path | str, name: str) -> pd.DataFrame:
    """Read the stored results of experiment ``name`` as one table.

    Parameters
    ----------
    results_dir : path
        The results root; the experiment's shards are ``results_dir/name/part-*.parquet``.
    name : str
        Experiment name.

    Returns
    -------
    pandas.DataFrame
        All shards concatenated, one row per design point, sorted by the ``row`` column when
        present, with a fresh index.

    Raises
    ------
    ResultsNotFoundError
        If the directory or its shards are missing; the message names the experiment and the
        command that creates its results (``crisis sweep NAME``).
    """
    where = Path(results_dir) / name
    shards = sorted(where.glob("part-*.parquet")) if where.is_dir() else []
    if not shards:
        problem = "does not exist" if not where.is_dir() else "holds no part-*.parquet shards"
        raise ResultsNotFoundError(
            f"results of experiment {name!r} not found: {where} {problem}. "
            f"Create them with `crisis sweep {name}` (or `crisis reproduce` for every experiment "
            "the paper needs)."
        )
    table = pd.concat([pd.read_parquet(s, engine="pyarrow") for s in shards], ignore_index=True)
    if "row" in table.columns:
        table = table.sort_values("row", kind="stable")
    return table.reset_index(drop=True)


def require_columns(table: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise ``ValueError`` naming the experiment and every column it lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"results of experiment {name!r} lack column(s) {missing}; found "
            f"{list(table.columns)}. Re-run `crisis sweep {name}`."
        )


def single_value(table: pd.DataFrame, name: str, column: str) -> float:
    """The one value a parameter column takes in an experiment that holds it fixed.

    Raises ``ValueError`` naming the experiment and the values found if there is more than one.
    """
    values = np.unique(table[column].to_numpy(dtype=np.float64))
    if values.size != 1:
        shown = ", ".join(f"{v:g}" for v in values[:8]) + (", ..." if values.size > 8 else "")
        raise ValueError(
            f"experiment {name!r}: this figure expects a single value of {column}; found "
            f"{values.size} ({shown})"
        )
    return float(values[0])


def symmetric_limits(
    values: Sequence[float] | np.ndarray, floor: float = 1e-3
) -> tuple[float, float]:
    """Colour limits ``(-m, m)`` centring a diverging map at zero (``m`` at least ``floor``)."""
    m = float(np.nanmax(np.abs(np.asarray(values, dtype=np.float64))))
    m = max(m, floor)
    return -m, m


def fmt_number(x: float) -> str:
    """A parameter value in a label: up to three significant digits, no trailing zeros."""
    return f"{x:.3g}"
