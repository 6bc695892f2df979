"""The model registry: adding a crisis model is adding one file to ``model/games/``.

A model module decorates its parameter class with ``@register("name")`` and defines, at module
level, ``solve(params, **options) -> Solution`` and ``tree(params, **options) -> Game`` (the
finite version the generic solvers check the closed form against). :func:`available` imports
every module of :mod:`model.games` with :mod:`pkgutil`, so nothing else needs editing: the CLI,
the sweep engine and the contract tests all iterate over the registry.

Examples
--------
>>> "risk_return" in available()
True
>>> spec = get("risk_return")
>>> spec.solve(spec.params()).certificate.all_passed
True
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from model.params import ParamSpec, param_specs

__all__ = ["ModelSpec", "available", "get", "register"]

_REGISTRY: dict[str, ModelSpec] = {}
_DISCOVERED = False


@dataclass(frozen=True)
class ModelSpec:
    """Everything the toolkit knows about one registered model."""

    name: str
    params: type
    module: ModuleType

    @property
    def solve(self) -> Callable[..., Any]:
        """The model's closed-form (or semi-closed-form) solver."""
        return self.module.solve

    @property
    def tree(self) -> Callable[..., Any]:
        """The model's finite extensive-form version, for the generic solvers."""
        return self.module.tree

    @property
    def param_specs(self) -> dict[str, ParamSpec]:
        """Default, bounds and meaning of every parameter."""
        return param_specs(self.params)

    @property
    def title(self) -> str:
        """First line of the module docstring."""
        return (inspect.getdoc(self.module) or self.name).splitlines()[0]

    @property
    def doc(self) -> str:
        """The module docstring: the game, its source and the math."""
        return inspect.getdoc(self.module) or ""


def register(name: str) -> Callable[[type], type]:
    """Class decorator registering a model's parameter class under ``name``."""
    if not name.isidentifier():
        raise ValueError(f"model name {name!r} must be a Python identifier")

    def deco(cls: type) -> type:
        module = sys.modules[cls.__module__]
        existing = _REGISTRY.get(name)
        if existing is not None and existing.module.__name__ != module.__name__:
            raise ValueError(
                f"model name {name!r} is registered twice: {existing.module.__name__} and "
                f"{module.__name__}"
            )
        _REGISTRY[name] = ModelSpec(name=name, params=cls, module=module)
        return cls

    return deco


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    import model.games as games

    for info in pkgutil.iter_modules(games.__path__, prefix=games.__name__ + "."):
        if not info.name.rsplit(".", 1)[-1].startswith("_"):
            importlib.import_module(info.name)
    for spec in _REGISTRY.values():
        for attr in ("solve", "tree"):
            if not callable(getattr(spec.module, attr, None)):
                raise TypeError(f"model {spec.name!r} ({spec.module.__name__}) defines no {attr}()")
    _DISCOVERED = True


def available() -> list[str]:
    """Names of all registered models, sorted."""
    _discover()
    return sorted(_REGISTRY)


def get(name: str) -> ModelSpec:
    """The :class:`ModelSpec` registered as ``name``; a clear error lists the valid names."""
    _discover()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown model {name!r}; available models: {', '.join(available())}"
        ) from None
