"""Sweep configs: TOML files that declare a sweep, read and validated strictly.

Schema
------
::

    name = "risk_return_misperception"   # the results folder's name: letters, digits, _ . -
    model = "risk_return"                # a registered model (model.registry.available())
    function = "solve"                   # optional, default "solve": a function defined in the
                                         # model's module taking (params, **inputs), returning a
                                         # Solution or a dict of arrays (not `tree`)
    description = "one line"             # optional

    [design]
    kind = "grid"                        # "grid" (full factorial) or "lhs" (Latin hypercube)
    size = 1000                          # lhs only: number of rows
    seed = 20261122                      # root seed (a non-negative integer)

    [parameters]                         # fields of the model's Params
    p = 0.5                              # a number: fixed
    c_A = { values = [0.1, 0.2] }        # listed levels
    c_B_hi = { range = [0.1, 0.8], num = 36 }                       # grid: num points
    belief_scale = { range = [0.25, 4.0], num = 61, space = "log" } # geometric spacing
                                         # lhs: { range = [lo, hi] } sampled uniformly
                                         # (log-uniformly with space = "log"), no num

    [inputs]                             # optional: other numeric keyword inputs of `function`,
    demand = { range = [0, 1], num = 401 }   # same syntax; bounded by the function itself

    [options]                            # optional: constant keyword arguments of `function`
    method = "pbe"                       # (strings, booleans, numbers), the same for every
    selection = "intuitive"              # row, e.g. the solver and its equilibrium selection rule

    [run]
    chunk_size = 50000                   # optional: rows per chunk (one Parquet shard each)

    [smoke]                              # optional overrides for a quick run (--smoke):
    design = { size = 100 }              # tables merged into [design] and [run]; an entry of
    parameters = { c_B_hi = { num = 5 } }   # [parameters]/[inputs] is replaced by a number or a
                                         # table with range/values, else merged (e.g. only num)

Unknown keys are errors; every error names the key, the value and what is allowed. Parameters
are checked against the model's bounds (:func:`model.params.check_value`) when the config is
loaded; model parameters the config does not mention are fixed at their defaults and recorded.
An input must be a numeric argument of the function: one whose annotation or default says it is
something else (a distribution, a method name) is refused. The design may have at most
:data:`experiments.design.MAX_ROWS` rows. Whether the function accepts the inputs' values is
checked by the runner on a few probe rows (the first, the last, and each input's extremes) before
it touches a results folder.

The *resolved* config (after smoke overrides, defaults filled in) is a plain dict; its SHA-256
over canonical JSON is the config hash stored with every result.
"""

from __future__ import annotations

import inspect
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import design as _design
from experiments.design import DESIGN_KINDS, SPACES, Axis
from experiments.paths import CONFIG_DIR
from experiments.provenance import canonical_json, sha256

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ConfigError",
    "SweepConfig",
    "bundled",
    "function_inputs",
    "sweep_functions",
    "config_path",
    "load_config",
    "parse_config",
]

DEFAULT_CHUNK_SIZE = 50_000
DEFAULT_FUNCTION = "solve"

_TOP_KEYS = (
    "name",
    "model",
    "function",
    "description",
    "design",
    "parameters",
    "inputs",
    "options",
    "run",
    "smoke",
)
_REQUIRED_TOP = ("name", "model", "design")
_DESIGN_KEYS = ("kind", "size", "seed")
_RUN_KEYS = ("chunk_size",)
_SMOKE_KEYS = ("design", "parameters", "inputs", "run")
_AXIS_KEYS = ("values", "range", "num", "space")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Keyword arguments of a model function that the runner fills in itself.
RESERVED_INPUTS = ("seed",)


class ConfigError(ValueError):
    """A sweep config that cannot be run; the message names the key, value and what is allowed."""


def _allowed(keys: tuple[str, ...]) -> str:
    return ", ".join(keys)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _table(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where} = {raw!r} must be a table ({where} = {{ ... }} or [{where}])")
    return dict(raw)


def _reject_unknown(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [k for k in table if k not in allowed]
    if unknown:
        prefix = f"{where}." if where else ""
        raise ConfigError(
            f"unknown key {prefix}{unknown[0]} = {table[unknown[0]]!r}; "
            f"allowed keys{' in ' + where if where else ''}: {_allowed(allowed)}"
        )


@dataclass(frozen=True)
class SweepConfig:
    """A validated, resolved sweep: what to solve, over which design, in what chunks.

    Build with :func:`load_config` (from a file or bundled name) or :func:`parse_config` (from a
    mapping). ``parameters`` holds one :class:`~experiments.design.Axis` for **every** field of
    the model's ``Params`` (defaults filled in), in declaration order; ``inputs`` holds the extra
    keyword inputs of ``function``.
    """

    name: str
    model: str
    function: str
    description: str
    kind: str
    seed: int
    size: int | None
    parameters: tuple[Axis, ...]
    inputs: tuple[Axis, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    chunk_size: int = DEFAULT_CHUNK_SIZE
    smoke: bool = False
    source: str | None = field(default=None, compare=False)

    @property
    def axes(self) -> tuple[Axis, ...]:
        """Parameter axes followed by input axes: the design's columns."""
        return self.parameters + self.inputs

    @property
    def parameter_names(self) -> list[str]:
        """Names of the model's parameters, in declaration order."""
        return [a.name for a in self.parameters]

    @property
    def input_names(self) -> list[str]:
        """Names of the function's extra inputs."""
        return [a.name for a in self.inputs]

    @property
    def n_rows(self) -> int:
        """Number of design points."""
        return _design.size_of(self.kind, self.axes, self.size)

    @property
    def n_chunks(self) -> int:
        """Number of chunks (Parquet shards) the design is split into."""
        return max(1, math.ceil(self.n_rows / self.chunk_size))

    def to_dict(self) -> dict[str, Any]:
        """Return the resolved config as plain data (what the hash is computed over)."""
        design: dict[str, Any] = {"kind": self.kind, "seed": self.seed}
        if self.size is not None:
            design["size"] = self.size
        return {
            "name": self.name,
            "model": self.model,
            "function": self.function,
            "description": self.description,
            "design": design,
            "parameters": {a.name: a.to_config() for a in self.parameters},
            "inputs": {a.name: a.to_config() for a in self.inputs},
            "options": dict(self.options),
            "run": {"chunk_size": self.chunk_size},
            "smoke": self.smoke,
        }

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`to_dict`."""
        return sha256(canonical_json(self.to_dict()))

    def design(self, *, seeds: bool = True) -> pd.DataFrame:
        """Build the design: ``row``, every parameter and input, ``seed``; a row per point.

        ``seeds=False`` leaves out the ``seed`` column (see :func:`experiments.design.row_seeds`).
        """
        return _design.build(self.kind, self.axes, seed=self.seed, size=self.size, seeds=seeds)

    def resolve_function(self) -> Callable[..., Any]:
        """Return the model function the sweep evaluates."""
        from model import registry

        spec = registry.get(self.model)
        return _function(spec.module, self.function, spec.params)


# -- files and names ---------------------------------------------------------------------------
def bundled() -> dict[str, Path]:
    """Bundled configs in ``experiments/configs``: name (file stem) -> path, sorted by name."""
    return {p.stem: p for p in sorted(CONFIG_DIR.glob("*.toml"))}


def config_path(name_or_path: str | Path) -> Path:
    """Find the file a config argument names: an existing path, or a bundled config's name."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    found = bundled()
    stem = path.stem if path.suffix == ".toml" else str(name_or_path)
    if stem in found and path.parent == Path("."):
        return found[stem]
    raise ConfigError(
        f"config {str(name_or_path)!r} is neither a file nor a bundled config; bundled configs: "
        f"{', '.join(found) or '(none)'}"
    )


def load_config(name_or_path: str | Path, *, smoke: bool = False) -> SweepConfig:
    """Read and validate a sweep config.

    Parameters
    ----------
    name_or_path : str or Path
        A TOML file, or the name of a bundled config (``crisis list`` shows them).
    smoke : bool
        Apply the ``[smoke]`` overrides (a small, quick version of the sweep).

    Raises
    ------
    ConfigError
        If the file is missing, not valid TOML, or breaks the schema; the message starts with
        the file name.
    """
    path = config_path(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: not valid TOML: {exc}") from None
    return parse_config(data, smoke=smoke, source=path.name)


def parse_config(
    data: Mapping[str, Any], *, smoke: bool = False, source: str | None = None
) -> SweepConfig:
    """Validate a config given as a mapping (the parsed TOML); see the module docstring.

    The ``[smoke]`` overrides are validated whether or not ``smoke`` is set.
    """
    try:
        config = _parse(data, smoke=smoke, source=source)
        if not smoke and isinstance(data, Mapping) and "smoke" in data:
            _parse(data, smoke=True, source=source)
    except ConfigError as exc:
        if source:
            raise ConfigError(f"{source}: {exc}") from None
        raise
    return config


# -- parsing -----------------------------------------------------------------------------------
def _merge_smoke(data: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in data.items()}
    smoke = _table(data.get("smoke", {}), "smoke")
    _reject_unknown(smoke, _SMOKE_KEYS, "smoke")
    touched: set[str] = set()
    for section, overrides in smoke.items():
        overrides = _table(overrides, f"smoke.{section}")
        base = dict(_table(out.get(section, {}), section))
        for key, value in overrides.items():
            touched.add(f"{section}.{key}")
            old = base.get(key)
            if (
                section in ("parameters", "inputs")
                and isinstance(value, Mapping)
                and isinstance(old, Mapping)
                and "range" not in value
                and "values" not in value
            ):
                base[key] = {**old, **value}
            else:
                base[key] = value
        out[section] = base
    return out, touched


def _parse(data: Mapping[str, Any], *, smoke: bool, source: str | None) -> SweepConfig:
    from model import registry

    data = _table(data, "config")
    _reject_unknown(data, _TOP_KEYS, "")
    missing = [k for k in _REQUIRED_TOP if k not in data]
    if missing:
        raise ConfigError(
            f"missing required key {missing[0]!r}; required: {_allowed(_REQUIRED_TOP)}"
        )
    touched: set[str] = set()
    if smoke:
        data, touched = _merge_smoke(data)
    else:
        _merge_smoke(data)  # validate the structure of [smoke] in every run

    def where(section: str, key: str) -> str:
        w = f"{section}.{key}"
        return f"{w} (with smoke.{w})" if w in touched else w

    name = data["name"]
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ConfigError(
            f"name = {name!r} must be a non-empty string of letters, digits, '_', '.', '-' "
            "(it names the results folder)"
        )
    model_name = data["model"]
    models = registry.available()
    if not isinstance(model_name, str) or model_name not in models:
        raise ConfigError(
            f"model = {model_name!r} is not a registered model; available: {', '.join(models)}"
        )
    spec = registry.get(model_name)
    function = data.get("function", DEFAULT_FUNCTION)
    fn = _function(spec.module, function, spec.params)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"description = {description!r} must be a string")

    # [design]
    dsg = _table(data["design"], "design")
    _reject_unknown(dsg, _DESIGN_KEYS, "design")
    kind = dsg.get("kind")
    if kind not in DESIGN_KINDS:
        raise ConfigError(
            f"design.kind = {kind!r} is not allowed; allowed: {', '.join(map(repr, DESIGN_KINDS))}"
        )
    if "seed" not in dsg:
        raise ConfigError("design.seed is missing: give a non-negative integer root seed")
    seed = dsg["seed"]
    if not _is_int(seed) or seed < 0:
        raise ConfigError(f"design.seed = {seed!r} must be a non-negative integer")
    size = dsg.get("size")
    if kind == "lhs":
        if size is None:
            raise ConfigError("design.size is missing: an 'lhs' design needs a number of rows")
        if not _is_int(size) or size < 1:
            raise ConfigError(f"design.size = {size!r} must be a positive integer")
    elif size is not None:
        raise ConfigError(
            f"design.size = {size!r} applies to 'lhs' designs only; a grid's size is the product "
            "of its axes' numbers of points"
        )

    # [parameters]
    specs = spec.param_specs
    params_raw = _table(data.get("parameters", {}), "parameters")
    unknown = [k for k in params_raw if k not in specs]
    if unknown:
        raise ConfigError(
            f"unknown parameter parameters.{unknown[0]} = {params_raw[unknown[0]]!r} for model "
            f"{model_name!r}; valid parameters: {', '.join(specs)}"
        )
    parameters = []
    for pname, pspec in specs.items():
        if pname in params_raw:
            axis = _axis(pname, params_raw[pname], where("parameters", pname), kind)
            _check_bounds(axis, pspec, where("parameters", pname), kind)
        else:
            axis = Axis.fixed(pname, pspec.default)
        parameters.append(axis)

    # [inputs]
    inputs_raw = _table(data.get("inputs", {}), "inputs")
    accepted, required, open_kwargs = function_inputs(fn)
    signature = _signature(fn)
    for iname, raw in inputs_raw.items():
        if iname in specs:
            raise ConfigError(f"inputs.{iname} is a model parameter: set it in [parameters]")
        if iname in RESERVED_INPUTS:
            raise ConfigError(
                f"inputs.{iname} is reserved: the runner passes each row's seed itself"
            )
        if iname not in accepted and not open_kwargs:
            raise ConfigError(
                f"unknown input inputs.{iname} = {raw!r}: {function}() of model {model_name!r} "
                f"accepts {', '.join(accepted) or 'no inputs'}"
            )
        declared = signature.get(iname)
        if declared is not None and not _numeric_argument(declared):
            raise ConfigError(
                f"inputs.{iname} = {raw!r}: {function}() of model {model_name!r} takes {iname} as "
                f"{_describe_argument(declared)}, not a number; [inputs] can only set numeric "
                "arguments (one value per row)"
            )
    needed = [k for k in required if k not in inputs_raw and k not in RESERVED_INPUTS]
    if needed:
        raise ConfigError(
            f"{function}() of model {model_name!r} needs input inputs.{needed[0]}; "
            "add it to [inputs]"
        )
    inputs = tuple(_axis(k, v, where("inputs", k), kind) for k, v in inputs_raw.items())
    try:
        _design.check_size(kind, [*parameters, *inputs], size)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None

    # [options]
    options = dict(_table(data.get("options", {}), "options"))
    for oname, value in options.items():
        if oname in specs or oname in inputs_raw or oname in RESERVED_INPUTS:
            raise ConfigError(
                f"options.{oname} names a parameter, an input or a reserved argument; options "
                "are the function's other keyword arguments"
            )
        if oname not in signature and not open_kwargs:
            raise ConfigError(
                f"unknown option options.{oname} = {value!r}: {function}() of model "
                f"{model_name!r} takes no argument {oname!r}"
            )
        if isinstance(value, Mapping | list) or value is None:
            raise ConfigError(
                f"options.{oname} = {value!r} must be a string, a boolean or a number (one "
                "value for every row)"
            )

    # [run]
    run = _table(data.get("run", {}), "run")
    _reject_unknown(run, _RUN_KEYS, "run")
    chunk_size = run.get("chunk_size", DEFAULT_CHUNK_SIZE)
    if not _is_int(chunk_size) or chunk_size < 1:
        raise ConfigError(
            f"run.chunk_size = {chunk_size!r} must be a positive integer (rows per chunk)"
        )

    return SweepConfig(
        name=name,
        model=model_name,
        function=function,
        description=description,
        kind=kind,
        seed=seed,
        size=size if kind == "lhs" else None,
        parameters=tuple(parameters),
        inputs=inputs,
        options=options,
        chunk_size=chunk_size,
        smoke=smoke,
        source=source,
    )


# Functions of a model module that build something other than a table of results.
_NOT_SWEEP_FUNCTIONS = ("tree",)


def _takes_params(fn: Callable[..., Any], params_cls: type | None) -> bool:
    """Whether ``fn``'s first argument can be the model's Params (by name or annotation)."""
    try:
        first = next(iter(inspect.signature(fn).parameters.values()), None)
    except (TypeError, ValueError):
        return True
    if first is None or first.kind not in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        return False
    ann = first.annotation
    if ann is inspect.Parameter.empty or params_cls is None:
        return True
    if isinstance(ann, str):
        return params_cls.__name__ in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", ann)
    return isinstance(ann, type) and issubclass(params_cls, ann)


def sweep_functions(module: Any, params_cls: type | None = None) -> list[str]:
    """Names of the functions of a model module that a sweep can evaluate, sorted.

    A sweep function is a public function *defined* in ``module`` (not imported into it), other
    than ``tree``, whose first argument is the model's parameters (``params_cls``, when given).
    """
    return sorted(
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and name not in _NOT_SWEEP_FUNCTIONS
        and value.__module__ == module.__name__
        and _takes_params(value, params_cls)
    )


def _function(module: Any, function: Any, params_cls: type | None = None) -> Callable[..., Any]:
    if not isinstance(function, str) or not function.isidentifier() or function.startswith("_"):
        raise ConfigError(
            f"function = {function!r} must be the name of a public function of the model module"
        )
    fn = getattr(module, function, None)
    if fn is None:
        reason = "is not a function of"
    elif inspect.isclass(fn):
        reason = "is a class in"
    elif not inspect.isfunction(fn):
        reason = "is not a function of"
    elif getattr(fn, "__module__", None) != module.__name__:
        reason = "is imported into, not defined in,"
    elif function in _NOT_SWEEP_FUNCTIONS:
        reason = "builds the model's finite game (not a table of results) in"
    elif not _takes_params(fn, params_cls):
        reason = "does not take the model's parameters as its first argument in"
    else:
        return fn
    names = sweep_functions(module, params_cls)
    raise ConfigError(
        f"function = {function!r} {reason} {module.__name__}; functions a sweep can call: "
        f"{', '.join(names) or '(none)'}"
    )


def _signature(fn: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    try:
        return dict(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return {}


# Type names (last dotted component) that an argument holding numbers may be annotated with.
_NUMERIC_TYPES = frozenset(
    {"Any", "float", "int", "ndarray", "NDArray", "ArrayLike", "Real", "Number", "floating"}
)


def _numeric_argument(arg: inspect.Parameter) -> bool:
    """Whether ``arg`` may take numbers, as far as its annotation or default tells.

    An annotation decides when there is one (it must mention a numeric or array type); without
    one, a string or boolean default says the argument is not numeric, and anything else is
    given the benefit of the doubt (the runner's probe of the first row checks it).
    """
    ann = arg.annotation
    if ann is not inspect.Parameter.empty:
        text = ann if isinstance(ann, str) else getattr(ann, "__name__", repr(ann))
        names = {t.rsplit(".", 1)[-1] for t in re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", text)}
        return bool(names & _NUMERIC_TYPES)
    return not isinstance(arg.default, str | bytes | bool)


def _describe_argument(arg: inspect.Parameter) -> str:
    if arg.annotation is not inspect.Parameter.empty:
        ann = arg.annotation
        return repr(ann if isinstance(ann, str) else getattr(ann, "__name__", repr(ann)))
    return f"an argument with default {arg.default!r}"


def function_inputs(fn: Callable[..., Any]) -> tuple[list[str], list[str], bool]:
    """Return the inputs ``fn`` accepts besides ``params``, those it requires, and **kwargs."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return [], [], True
    params = list(sig.parameters.values())[1:]
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    accepted = [p.name for p in params if p.kind in kinds]
    required = [p.name for p in params if p.kind in kinds and p.default is inspect.Parameter.empty]
    open_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    return accepted, required, open_kwargs


_SYNTAX = "a number, {values = [...]} or {range = [low, high], num = N}"


def _number(value: Any, where: str, what: str) -> float:
    if not _is_number(value) or not math.isfinite(value):
        raise ConfigError(f"{where}: {what} = {value!r} must be a finite number")
    return float(value)


def _axis(name: str, raw: Any, where: str, kind: str) -> Axis:
    if isinstance(raw, bool) or not (_is_number(raw) or isinstance(raw, Mapping)):
        raise ConfigError(f"{where} = {raw!r} is not allowed: give {_SYNTAX}")
    if _is_number(raw):
        return Axis.fixed(name, _number(raw, where, "value"))
    raw = dict(raw)
    _reject_unknown(raw, _AXIS_KEYS, where)
    has_values, has_range = "values" in raw, "range" in raw
    if has_values == has_range:
        raise ConfigError(
            f"{where} = {raw!r} needs exactly one of 'values' or 'range'; give {_SYNTAX}"
        )
    if has_values:
        extra = [k for k in ("num", "space") if k in raw]
        if extra:
            raise ConfigError(
                f"{where}.{extra[0]} = {raw[extra[0]]!r} applies to a range only, not to values"
            )
        vals = raw["values"]
        if not isinstance(vals, list) or not vals:
            raise ConfigError(f"{where}.values = {vals!r} must be a non-empty list of numbers")
        return Axis.levels(name, [_number(v, where, "values element") for v in vals])
    rng = raw["range"]
    if not isinstance(rng, list) or len(rng) != 2:
        raise ConfigError(f"{where}.range = {rng!r} must be a list [low, high] of two numbers")
    low, high = (_number(v, where, "range end") for v in rng)
    if not low < high:
        raise ConfigError(
            f"{where}.range = {rng!r} needs low < high (for one value, give the number itself)"
        )
    space = raw.get("space", "linear")
    if space not in SPACES:
        raise ConfigError(
            f"{where}.space = {space!r} is not allowed; allowed: {', '.join(map(repr, SPACES))}"
        )
    if space == "log" and low <= 0:
        raise ConfigError(f"{where}.space = 'log' needs a positive range; range = {rng!r}")
    num = raw.get("num")
    if kind == "grid":
        if num is None:
            raise ConfigError(
                f"{where}.num is missing: a range in a grid design needs a number of points"
            )
        if not _is_int(num) or num < 2:
            raise ConfigError(f"{where}.num = {num!r} must be an integer >= 2")
    elif num is not None:
        raise ConfigError(
            f"{where}.num = {num!r} applies to grid designs only; an 'lhs' design samples the "
            "range (its size is design.size)"
        )
    return Axis.range(name, low, high, num=num, space=space)


def _check_bounds(axis: Axis, spec: Any, where: str, kind: str) -> None:
    """Check an axis's values with the model's own validation (:func:`check_value`)."""
    from model.params import check_value

    if axis.kind != "range":
        checks: list[Any] = list(axis.values)
    else:
        if spec.integer and kind == "lhs":
            raise ConfigError(
                f"{where}: {axis.name} counts something (whole numbers only); in an 'lhs' "
                "design give it as {values = [...]}"
            )
        checks = [axis.low, axis.high]
        if spec.integer:
            checks.append(axis.grid_values())
    try:
        for value in checks:
            check_value(axis.name, value, spec)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
