"""``can(...)``: the one way templates ask who may do what.

Each module keeps its rules as pure predicates ``can_<verb>_<noun>(user, obj, …)`` in
its ``permissions.py`` and marks the ones pages need with :func:`rule`. A template then
asks ``can('edit_consultation', consultation)`` for the signed-in user instead of
comparing roles and statuses itself, so a page never offers what its view would
refuse. Core only keeps the register: it imports no module above it.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from flask_login import current_user

_RULES: dict[str, Callable[..., bool]] = {}
Predicate = TypeVar("Predicate", bound=Callable[..., bool])


def rule(predicate: Predicate) -> Predicate:
    """Register ``can_<name>`` under ``<name>`` for :func:`can`."""
    name = predicate.__name__.removeprefix("can_")
    if name in _RULES and _RULES[name] is not predicate:
        raise ValueError(f"two permission rules are called {name!r}")
    _RULES[name] = predicate
    return predicate


def can(name: str, *objects: Any, **options: Any) -> bool:
    """Whether the signed-in user may ``name`` (a registered rule) the given objects."""
    return bool(_RULES[name](current_user, *objects, **options))


def rule_names() -> list[str]:
    return sorted(_RULES)


def register_can(app: Flask) -> None:
    app.add_template_global(can, "can")
