"""A faster `__init__` for the frozen, slotted dataclasses every call builds.

A frozen dataclass sets each field through `object.__setattr__`, looked up afresh per field:
about 0.35 us a field, ~1.7 us for a five-field `Usage`. One agent-loop step builds about 40
such fields (request, response, usage, step, attempt). `quick_init` swaps in an `__init__` with
the same parameters, defaults and factories that writes each slot through its descriptor, as
`object.__setattr__` itself ends up doing: half the cost, the same object (still frozen, equal,
hashable). Applied after the class statement, so type checkers see the plain dataclass.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Final, TypeVar, cast

__all__ = ["quick_init"]

_T = TypeVar("_T")


class _Factory:
    """The default of a field with a `default_factory`: the factory runs per instance."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Final = _Factory()


def quick_init(cls: type[_T]) -> type[_T]:
    """Give `cls` (a frozen dataclass with slots, no `__post_init__`) the fast `__init__`.

    Only field names, which are Python identifiers, reach the generated source; every value
    (defaults, factories, descriptors) is passed in through its namespace.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"quick_init needs a frozen dataclass with slots, not {cls.__name__}")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"quick_init cannot run {cls.__name__}.__post_init__")
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    signature: list[str] = []
    body: list[str] = []
    for index, item in enumerate(dataclasses.fields(cast(Any, cls))):
        name = item.name
        if not name.isidentifier() or not item.init or item.kw_only is True:
            raise TypeError(f"quick_init cannot build field {name!r} of {cls.__name__}")
        setter, value = f"_set{index}", name
        namespace[setter] = cls.__dict__[name].__set__
        if item.default is not dataclasses.MISSING:
            namespace[f"_default{index}"] = item.default
            signature.append(f"{name}=_default{index}")
        elif item.default_factory is not dataclasses.MISSING:
            namespace[f"_factory{index}"] = item.default_factory
            signature.append(f"{name}=_FACTORY")
            value = f"_factory{index}() if {name} is _FACTORY else {name}"
        else:
            signature.append(name)
        body.append(f"    {setter}(self, {value})")
    source = f"def __init__(self, {', '.join(signature)}):\n" + "\n".join(body or ["    pass"])
    exec(source, namespace)  # the dataclasses module builds its __init__ the same way
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    setattr(cls, "__init__", init)
    return cls
