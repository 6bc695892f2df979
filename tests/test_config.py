"""Sweep configs: strict validation with clear errors, smoke overrides, hashing, bundled configs."""

import copy
import re

import pytest

from experiments import config as config_module
from experiments.config import (
    ConfigError,
    bundled,
    config_path,
    load_config,
    parse_config,
    sweep_functions,
)
from experiments.design import MAX_ROWS, Axis
from model import registry
from model.params import Bounds, ParamSpec

BASE = {
    "name": "tiny",
    "model": "risk_return",
    "description": "a tiny sweep",
    "design": {"kind": "grid", "seed": 1},
    "parameters": {"c_B_hi": {"range": [0.2, 0.6], "num": 3}, "p": 0.5},
}


def make(**sections):
    """BASE with top-level keys replaced (None deletes a key)."""
    data = copy.deepcopy(BASE)
    for key, value in sections.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def with_param(name, value):
    return make(parameters={**BASE["parameters"], name: value})


def test_minimal_config_resolves_every_parameter():
    config = parse_config(BASE)
    specs = registry.get("risk_return").param_specs
    assert config.parameter_names == list(specs)
    by_name = {a.name: a for a in config.parameters}
    assert by_name["c_A"].kind == "fixed" and by_name["c_A"].values == (specs["c_A"].default,)
    assert by_name["p"].values == (0.5,)
    assert config.function == "solve" and config.n_rows == 3 and config.size is None
    resolved = config.to_dict()
    assert set(resolved["parameters"]) == set(specs)
    assert resolved["run"] == {"chunk_size": 50_000}


def test_unknown_top_level_key_is_rejected():
    with pytest.raises(ConfigError, match=r"unknown key colour = 'red'; allowed keys: name, model"):
        parse_config(make(colour="red"))


@pytest.mark.parametrize(
    ("section", "table", "match"),
    [
        ("design", {"kind": "grid", "seed": 1, "sise": 3}, r"unknown key design\.sise = 3"),
        ("run", {"chunks": 3}, r"unknown key run\.chunks = 3; allowed keys in run: chunk_size"),
        ("smoke", {"parameter": {}}, r"unknown key smoke\.parameter"),
    ],
)
def test_unknown_keys_in_sections_are_rejected(section, table, match):
    with pytest.raises(ConfigError, match=match):
        parse_config(make(**{section: table}))


def test_unknown_key_in_a_parameter_table():
    with pytest.raises(ConfigError, match=r"unknown key parameters\.p\.step = 0\.1"):
        parse_config(with_param("p", {"range": [0, 1], "num": 3, "step": 0.1}))


def test_unknown_parameter_lists_the_valid_ones():
    with pytest.raises(ConfigError, match=r"parameters\.q = 0\.3.*valid parameters: p, c_A"):
        parse_config(with_param("q", 0.3))


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("p", 2, "2"),
        ("p", {"range": [0.5, 1.5], "num": 3}, "1.5"),
        ("c_A", {"values": [0.1, -0.2]}, "-0.2"),
        ("belief_scale", 0.0, "0"),
        ("belief_scale", {"range": [1.0, 12.0], "num": 2, "space": "log"}, "12"),
    ],
)
def test_out_of_range_parameter_names_value_and_range(name, value, shown):
    spec = registry.get("risk_return").param_specs[name]
    with pytest.raises(ConfigError) as info:
        parse_config(with_param(name, value))
    msg = str(info.value)
    assert f"parameters.{name}" in msg
    assert f"{name} = {shown} is out of range" in msg
    assert f"must lie in {spec.bounds} ({spec.doc})" in msg


COUNT = ParamSpec(name="n", default=1, bounds=Bounds(1.0, 10.0), doc="rounds", integer=True)


@pytest.mark.parametrize(
    ("axis", "kind", "match"),
    [
        (Axis.range("n", 1.0, 5.0, num=4), "grid", r"n = array is out of range .*whole number"),
        (Axis.levels("n", [2.0, 2.5]), "grid", r"n = 2\.5 is out of range.*whole number in"),
        (
            Axis.fixed("n", 11.0),
            "grid",
            r"n = 11 is out of range: n must lie a whole number in \[1, 10\] \(rounds\)",
        ),
        (Axis.range("n", 1.0, 5.0), "lhs", r"n counts something.*give it as \{values"),
    ],
)
def test_integer_parameters_use_the_models_own_check(axis, kind, match):
    with pytest.raises(ConfigError, match=r"^parameters\.n: " + match):
        config_module._check_bounds(axis, COUNT, "parameters.n", kind)
    # whole numbers in range pass: 1, 3, 5
    config_module._check_bounds(Axis.range("n", 1.0, 5.0, num=3), COUNT, "parameters.n", "grid")


def test_bad_design_kind():
    with pytest.raises(
        ConfigError, match=r"design\.kind = 'sobol' is not allowed; allowed: 'grid', 'lhs'"
    ):
        parse_config(make(design={"kind": "sobol", "seed": 1}))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"design": {"kind": "lhs", "seed": 1}}, r"design\.size is missing"),
        ({"design": {"kind": "grid", "seed": 1, "size": 5}}, r"design\.size = 5 applies to 'lhs'"),
        ({"design": {"kind": "grid"}}, r"design\.seed is missing"),
        ({"design": {"kind": "grid", "seed": -1}}, r"design\.seed = -1 must be a non-negative"),
        ({"design": {"kind": "grid", "seed": 1.5}}, r"design\.seed = 1\.5"),
        ({"design": {"kind": "lhs", "seed": 1, "size": 0}}, r"design\.size = 0 must be a positive"),
        ({"design": "grid"}, r"design = 'grid' must be a table"),
        ({"run": {"chunk_size": 0}}, r"run\.chunk_size = 0 must be a positive integer"),
        ({"name": "a b"}, r"name = 'a b' must be"),
        ({"name": None}, r"missing required key 'name'"),
        (
            {"model": "fearon"},
            r"model = 'fearon' is not a registered model; available: .*risk_return",
        ),
        (
            {"function": "nope"},
            r"function = 'nope' is not a function of model\.games\.risk_return; functions a "
            r"sweep can call: outcomes_at_demand, solve$",
        ),
        ({"function": "_closed_form"}, r"function = '_closed_form' must be the name of a public"),
        ({"description": 3}, r"description = 3 must be a string"),
    ],
)
def test_schema_errors(change, match):
    with pytest.raises(ConfigError, match=match):
        parse_config(make(**change))


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ({"range": [0.2, 0.6]}, r"parameters\.c_B_hi\.num is missing"),
        ({"range": [0.2, 0.6], "num": 1}, r"parameters\.c_B_hi\.num = 1 must be an integer >= 2"),
        ({"range": [0.6, 0.2], "num": 3}, r"needs low < high"),
        ({"range": [0.2], "num": 3}, r"range = \[0\.2\] must be a list \[low, high\]"),
        ({"range": [0.0, 0.6], "num": 3, "space": "log"}, r"space = 'log' needs a positive range"),
        ({"range": [0.2, 0.6], "num": 3, "space": "cubic"}, r"space = 'cubic' is not allowed"),
        ({"values": []}, r"values = \[\] must be a non-empty list"),
        ({"values": [0.2], "num": 3}, r"num = 3 applies to a range only"),
        ({"values": [0.2], "range": [0.2, 0.6]}, r"exactly one of 'values' or 'range'"),
        ({"values": ["a"]}, r"values element = 'a' must be a finite number"),
        ("0.4", r"parameters\.c_B_hi = '0\.4' is not allowed: give a number"),
        (True, r"parameters\.c_B_hi = True is not allowed"),
    ],
)
def test_parameter_syntax_errors(value, match):
    with pytest.raises(ConfigError, match=match):
        parse_config(with_param("c_B_hi", value))


def test_lhs_ranges_take_no_num():
    data = make(design={"kind": "lhs", "seed": 1, "size": 10})
    with pytest.raises(
        ConfigError, match=r"parameters\.c_B_hi\.num = 3 applies to grid designs only"
    ):
        parse_config(data)
    data["parameters"]["c_B_hi"] = {"range": [0.2, 0.6]}
    config = parse_config(data)
    assert config.n_rows == 10 and len(config.design()) == 10


@pytest.mark.parametrize(
    ("function", "reason"),
    [
        ("register", "is imported into, not defined in,"),
        ("Uniform", "is a class in"),
        ("Params", "is a class in"),
        ("tree", "builds the model's finite game (not a table of results) in"),
        ("expected_utility", "does not take the model's parameters as its first argument in"),
        ("NAME", "is not a function of"),
    ],
)
def test_function_must_be_a_sweep_function_of_the_model(function, reason):
    with pytest.raises(ConfigError) as info:
        parse_config(make(function=function))
    msg = str(info.value)
    assert msg.startswith(f"function = {function!r} {reason} model.games.risk_return")
    assert msg.endswith("functions a sweep can call: outcomes_at_demand, solve")


def test_sweep_functions_of_a_model():
    spec = registry.get("risk_return")
    assert sweep_functions(spec.module, spec.params) == ["outcomes_at_demand", "solve"]


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("prior", 0.5, "'Distribution | None'"),
        ("belief", {"values": [0.1, 0.2]}, "'Distribution | None'"),
        ("method", 1.0, "'str'"),
    ],
)
def test_inputs_that_are_not_numbers_are_refused(name, value, shown):
    with pytest.raises(
        ConfigError,
        match=rf"inputs\.{name} = .*: solve\(\) of model 'risk_return' takes {name} as "
        rf"{re.escape(shown)}, not a number; \[inputs\] can only set numeric arguments",
    ):
        parse_config(make(inputs={name: value}))


def test_inputs_are_checked_against_the_function():
    data = make(function="outcomes_at_demand")
    with pytest.raises(
        ConfigError,
        match=r"outcomes_at_demand\(\) of model 'risk_return' needs input inputs\.demand",
    ):
        parse_config(data)
    data["inputs"] = {"demand": {"range": [0, 1], "num": 5}}
    assert parse_config(data).input_names == ["demand"]
    data["inputs"]["speed"] = 3
    with pytest.raises(ConfigError, match=r"unknown input inputs\.speed = 3.*accepts demand"):
        parse_config(data)
    with pytest.raises(ConfigError, match=r"inputs\.p is a model parameter"):
        parse_config(make(function="outcomes_at_demand", inputs={"demand": 0.5, "p": 0.3}))


def test_design_size_is_bounded_at_load_time():
    axes = {k: {"range": [0.2, 0.6], "num": 100_000} for k in ("c_B_hi", "c_A", "p")}
    with pytest.raises(ConfigError) as info:  # counted, not built: building would need 7 PiB
        parse_config(make(parameters=axes))
    msg = str(info.value)
    assert f"the design has 1e+15 rows, more than the limit of {MAX_ROWS}" in msg
    assert "(p: num = 100000 x c_A: num = 100000 x c_B_hi: num = 100000)" in msg
    demand = make(
        function="outcomes_at_demand",
        parameters={"c_B_hi": {"values": [0.2, 0.4]}, "p": {"range": [0.1, 0.9], "num": 50_001}},
        inputs={"demand": {"range": [0, 1], "num": 1001}},
    )
    with pytest.raises(ConfigError, match=r"\(p: num = 50001 x c_B_hi: 2 values x demand: num"):
        parse_config(demand)
    lhs = make(design={"kind": "lhs", "seed": 1, "size": 10**11})
    lhs["parameters"]["c_B_hi"] = {"range": [0.2, 0.6]}
    with pytest.raises(ConfigError, match=r"1e\+11 rows, more than the limit .*\(size = 10+\)"):
        parse_config(lhs)
    lhs["design"]["size"] = MAX_ROWS
    assert parse_config(lhs).n_rows == MAX_ROWS


def test_smoke_overrides_merge_and_replace():
    data = make(
        parameters={"c_B_hi": {"range": [0.2, 0.6], "num": 41}, "c_A": {"values": [0.1, 0.2]}},
        smoke={"parameters": {"c_B_hi": {"num": 3}, "c_A": 0.15}, "run": {"chunk_size": 2}},
    )
    full, smoke = parse_config(data), parse_config(data, smoke=True)
    assert full.n_rows == 82 and smoke.n_rows == 3
    hi = {a.name: a for a in smoke.parameters}["c_B_hi"]
    assert (hi.low, hi.high, hi.num) == (0.2, 0.6, 3)
    assert smoke.chunk_size == 2 and smoke.smoke and not full.smoke
    assert full.hash != smoke.hash


def test_smoke_section_is_validated_in_full_runs_too():
    data = make(smoke={"parameters": {"c_B_hi": {"num": 1}}})
    with pytest.raises(
        ConfigError, match=r"parameters\.c_B_hi \(with smoke\.parameters\.c_B_hi\)\.num = 1"
    ):
        parse_config(data)


def test_smoke_design_override_for_lhs():
    data = make(
        design={"kind": "lhs", "seed": 1, "size": 1000},
        parameters={"c_B_hi": {"range": [0.2, 0.6]}},
        smoke={"design": {"size": 12}},
    )
    assert parse_config(data).n_rows == 1000
    assert parse_config(data, smoke=True).n_rows == 12


def test_hash_is_canonical():
    a = parse_config(BASE)
    reordered = dict(reversed(list(copy.deepcopy(BASE).items())))
    assert parse_config(reordered).hash == a.hash
    assert re.fullmatch(r"[0-9a-f]{64}", a.hash)
    # an explicit default is the same resolved config as an omitted one
    assert parse_config(with_param("c_A", 0.1)).hash == a.hash
    assert parse_config(with_param("p", 0.6)).hash != a.hash
    assert parse_config(make(run={"chunk_size": 7})).hash != a.hash


@pytest.mark.parametrize("name", sorted(bundled()))
@pytest.mark.parametrize("smoke", [False, True])
def test_bundled_configs_load(name, smoke):
    config = load_config(name, smoke=smoke)
    assert config.name == name and config.description
    assert config.source == f"{name}.toml"
    assert config.n_rows == len(config.design())
    if smoke:
        assert config.n_rows <= 200
    assert load_config(config_path(name), smoke=smoke).hash == config.hash


def test_bundled_sizes():
    assert load_config("risk_return_demand_curve").n_rows == 3 * 401
    assert load_config("risk_return_demand_curve", smoke=True).n_rows == 3 * 41
    mis = load_config("risk_return_misperception")
    assert mis.n_rows == 61 * 46
    scale = {a.name: a for a in mis.parameters}["belief_scale"].grid_values()
    assert 1.0 in scale.tolist()
    assert load_config("risk_return_misperception", smoke=True).n_rows == 9 * 10


def test_config_files_errors_name_the_file(tmp_path):
    with pytest.raises(
        ConfigError,
        match=r"'no_such_sweep' is neither a file nor a bundled config; "
        r"bundled configs: .*risk_return_misperception",
    ):
        load_config("no_such_sweep")
    bad = tmp_path / "broken.toml"
    bad.write_text("name = \n")
    with pytest.raises(ConfigError, match=r"^broken\.toml: not valid TOML"):
        load_config(bad)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        'name = "w"\nmodel = "risk_return"\n'
        '[design]\nkind = "grid"\nseed = 1\n[parameters]\np = 7\n'
    )
    with pytest.raises(ConfigError, match=r"^wrong\.toml: parameters\.p: p = 7 is out of range"):
        load_config(wrong)


# -- [options]: constant keyword arguments, e.g. a solver and its equilibrium selection rule -------
SIGNALLING = {
    "name": "tiny_signalling",
    "model": "crisis_signalling",
    "design": {"kind": "grid", "seed": 1},
    "parameters": {"pi": {"range": [0.1, 0.9], "num": 5}},
    "options": {"method": "pbe", "selection": "intuitive"},
}


def test_options_are_resolved_and_hashed():
    config = parse_config(SIGNALLING)
    assert config.options == {"method": "pbe", "selection": "intuitive"}
    assert config.to_dict()["options"] == {"method": "pbe", "selection": "intuitive"}
    other = parse_config({**SIGNALLING, "options": {"method": "pbe", "selection": "d1"}})
    assert other.hash != config.hash


@pytest.mark.parametrize(
    "options, match",
    [
        ({"rule": "d1"}, "unknown option options.rule = 'd1'"),
        ({"pi": 0.3}, "options.pi names a parameter"),
        ({"selection": ["d1"]}, "must be a string, a boolean or a number"),
    ],
)
def test_bad_options_are_named(options, match):
    with pytest.raises(ConfigError, match=re.escape(match)):
        parse_config({**SIGNALLING, "options": options})


def test_options_reach_the_function_and_the_results(tmp_path):
    from experiments.runner import run_sweep

    result = run_sweep(parse_config(SIGNALLING), out=tmp_path, progress=False)
    from experiments.results import load, load_manifest

    frame = load("tiny_signalling", results_dir=tmp_path)
    assert frame["certified"].all() and len(frame) == 5
    manifest = load_manifest("tiny_signalling", results_dir=tmp_path)
    assert manifest["config"]["options"]["selection"] == "intuitive"
    assert result.n_rows == 5
