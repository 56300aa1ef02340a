"""Registry entries are declarations with lazy callables: every reference resolves, so a
typo in a ``lazy("module:function")`` fails here rather than when someone trains."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES, LazyCallable, lazy

REFERENCES = [
    pytest.param(entry, field.name, id=f"{registry.kind}:{name}.{field.name}")
    for registry in (MODEL_FAMILIES, DATA_SOURCES, LOSSES)
    for name, entry in registry.items()
    for field in dataclasses.fields(entry)
    if isinstance(getattr(entry, field.name), LazyCallable)
]


def test_every_torch_callable_of_every_entry_is_lazy():
    """build, d_loss and g_loss (and a family's objective and views where it has them):
    importing the declarations imports none of their modules."""
    fields = {(type(e).__name__, f) for e, f in (p.values for p in REFERENCES)}
    lazy_fields = {("ModelFamily", "build"), ("DataSourceEntry", "build")}
    lazy_fields |= {("Loss", "d_loss"), ("Loss", "g_loss")}
    optional = {("ModelFamily", "objective"), ("ModelFamily", "views")}
    assert lazy_fields <= fields <= lazy_fields | optional
    extras = sum(
        getattr(family, name) is not None
        for _, family in MODEL_FAMILIES.items()
        for name in ("objective", "views")
    )
    for _, family in MODEL_FAMILIES.items():
        for name in ("objective", "views"):
            value = getattr(family, name)
            assert value is None or isinstance(value, LazyCallable), (family.name, name)
    expected = 2 * len(LOSSES) + len(MODEL_FAMILIES) + len(DATA_SOURCES) + extras
    assert len(REFERENCES) == expected


@pytest.mark.parametrize(("entry", "field"), REFERENCES)
def test_every_lazy_reference_resolves_to_a_function_of_its_module(entry, field):
    reference = getattr(entry, field)
    target = reference.resolve()
    assert callable(target)
    module, _, attribute = reference.target.partition(":")
    assert target.__module__ == module, f"{reference!r} names a function of another module"
    assert getattr(target, "__name__", attribute) in (attribute, "build")


def test_a_lazy_callable_calls_its_target_and_pickles_as_its_name():
    join = lazy("os.path:join")
    assert join("a", "b") == "a" + __import__("os").sep + "b"
    assert repr(join) == "lazy('os.path:join')"
    copy = pickle.loads(pickle.dumps(join))
    assert copy == join
    assert hash(copy) == hash(join)
    assert copy("x", "y") == join("x", "y")


def test_a_lazy_reference_to_nothing_fails_when_resolved_naming_it():
    with pytest.raises(AttributeError):
        lazy("ganlab.engine.losses:no_such_loss").resolve()
    with pytest.raises(ModuleNotFoundError):
        lazy("ganlab.no_such_module:build").resolve()
    with pytest.raises(TypeError, match=r"ganlab\.engine\.loss_catalogue:LOSSES"):
        lazy("ganlab.engine.loss_catalogue:LOSSES").resolve()
    with pytest.raises(ValueError, match="module:attribute"):
        lazy("ganlab.models.mlp.build")
