"""mypy plugin: model ids checked with a set lookup, in one short line, with a suggestion.

Enable it beside pydantic's in the user's mypy configuration::

    [tool.mypy]
    plugins = ["pydantic.mypy", "modelrouter.mypy"]

For every call whose parameters mention the catalogue's `ModelId` (`Agent(model=...)` and the
user's own functions alike), it reads the argument as written: a string literal in an id
position is looked up in the catalogue's set of ids; a config dict or fallback entry written
inline has its keys checked against the TypedDict (naming the bad key) and its literal values
against the key's type. An argument whose every id is a checked literal is then handed to mypy
with `ModelId` read as `str`, so mypy neither repeats the error over the whole union nor does
its union-sized work for that argument. Anything else (a variable, a call) keeps the full type
and mypy's own check. A list, set or dict display typed as holding ids
(`IDS: list[ModelId] = [...]`) gets the same short line for a typo'd id, after mypy's own.
`import modelrouter` never imports this module.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator

from mypy.errorcodes import ErrorCode
from mypy.maptype import map_instance_to_supertype
from mypy.options import Options
from mypy.nodes import (
    TypeAlias,
    ConditionalExpr,
    DictExpr,
    Expression,
    FloatExpr,
    IntExpr,
    LambdaExpr,
    ListExpr,
    NameExpr,
    SetExpr,
    StrExpr,
    TupleExpr,
)
from mypy.plugin import FunctionContext, FunctionSigContext, MethodSigContext, Plugin
from mypy.subtypes import is_subtype
from mypy.types import (
    CallableType,
    Instance,
    LiteralType,
    ProperType,
    Type,
    TypeAliasType,
    TypedDictType,
    UnionType,
    get_proper_type,
)

__all__ = ["MODEL_ID", "ModelRouterPlugin", "plugin"]

MODEL_ID = ErrorCode("model-id", "Check model ids and config keys", "modelrouter")
_ALIAS = "modelrouter_catalog.model_ids.ModelId"
_EMBEDDING_ALIAS = "modelrouter_catalog.model_ids.EmbeddingModelId"
# Each id alias: what a literal outside it is not, and the escape hatch for one the catalogue lacks.
_KINDS = {
    _ALIAS: ("a known model id", "(or wrap it in custom_model())"),
    _EMBEDDING_ALIAS: ("a known embedding model id", "(or wrap it in custom_embedding_model())"),
}
# mypy checks `[...]`, `{...}` and `{k: v}` as calls to these (after reporting their items).
_DISPLAYS = frozenset({"<list>", "<set>", "<dict>"})

_SigContext = FunctionSigContext | MethodSigContext


def _is_id_alias(typ: Type) -> bool:
    return isinstance(typ, TypeAliasType) and typ.alias is not None and typ.alias.fullname in _KINDS


def _forms(typ: Type) -> list[Type]:
    """The members of a parameter type, through nested unions and aliases (`EmbedModel |
    Sequence[EmbedModel]`), each id alias kept whole; a recursive alias is opened once."""
    found: list[Type] = []
    seen: set[str] = set()
    stack = [typ]
    while stack:
        item = stack.pop()
        if _is_id_alias(item):
            found.append(item)
            continue
        if isinstance(item, TypeAliasType) and item.alias is not None:
            if item.alias.fullname in seen:
                continue
            seen.add(item.alias.fullname)
        proper = get_proper_type(item)
        if isinstance(proper, UnionType):
            stack.extend(reversed(proper.items))
        else:
            found.append(item)
    return found


class _Ids:
    """The catalogue's ids as a frozenset, read once from the alias mypy already analysed."""

    def __init__(self, fullname: str) -> None:
        self.kind, self.hint = _KINDS[fullname]
        self.ids: frozenset[str] | None = None
        self.by_provider: dict[str, list[str]] = {}

    def load(self, alias: TypeAliasType) -> frozenset[str]:
        if self.ids is None:
            found: set[str] = set()
            stack: list[Type] = [alias]
            while stack:
                typ = get_proper_type(stack.pop())
                if isinstance(typ, UnionType):
                    stack.extend(typ.items)
                elif isinstance(typ, LiteralType) and isinstance(typ.value, str):
                    found.add(typ.value)
            self.ids = frozenset(found)
            for model_id in sorted(found):
                self.by_provider.setdefault(model_id.split("/", 1)[0], []).append(model_id)
        return self.ids

    def unknown(self, wrong: str) -> str:
        close = self.suggest(wrong)
        guess = f'; did you mean "{close}"? {self.hint}' if close else f" {self.hint}"
        return f'"{wrong}" is not {self.kind}{guess}'

    def suggest(self, wrong: str) -> str | None:
        pool = self.by_provider.get(wrong.split("/", 1)[0]) or sorted(self.ids or ())
        close = difflib.get_close_matches(wrong, pool, n=1, cutoff=0.6)
        return close[0] if close else None


def _find_alias(typ: Type) -> TypeAliasType | None:
    """An id alias inside a parameter type, looking through unions, aliases, TypedDicts."""
    seen: set[int] = set()
    stack = [typ]
    while stack:
        item = stack.pop()
        if _is_id_alias(item):
            assert isinstance(item, TypeAliasType)
            return item
        if id(item) in seen:
            continue
        seen.add(id(item))
        proper = get_proper_type(item)
        if isinstance(proper, UnionType):
            stack.extend(proper.items)
        elif isinstance(proper, TypedDictType):
            stack.extend(proper.items.values())
        elif isinstance(proper, Instance):
            stack.extend(proper.args)
    return None


def _id_as_str(formal: Type, str_type: Instance) -> Type:
    """`formal` with its id aliases read as `str` (every literal in their place was checked).

    The top level changes, and the element type of a sequence member (`Sequence[EmbedModel]`,
    for a list of ids): TypedDicts and protocols keep their own types, so a user's
    `ModelConfig` variable still matches the parameter.
    """
    forms = _forms(formal)
    items = [_form_as_str(form, str_type) for form in forms]
    if all(item is form for item, form in zip(items, forms)):
        return formal
    return UnionType.make_union(items, formal.line, formal.column)


def _form_as_str(form: Type, str_type: Instance) -> Type:
    if _is_id_alias(form):
        return str_type
    proper = get_proper_type(form)
    element = _element(proper)
    if (
        element is not None
        and isinstance(proper, Instance)
        and len(proper.args) == 1
        and element is proper.args[0]
        and any(_is_id_alias(item) for item in _forms(element))
    ):
        return proper.copy_modified(args=[_id_as_str(element, str_type)])
    return form


class _Checker:
    """Walk one argument expression against its parameter type; report, and say if all literal."""

    def __init__(self, ctx: _SigContext, tables: dict[str, _Ids]) -> None:
        self.ctx = ctx
        self.tables = tables
        self.str_type = ctx.api.named_generic_type("builtins.str", [])

    def fail(self, message: str, where: Expression) -> None:
        self.ctx.api.fail(message, where, code=MODEL_ID)

    def check(self, expr: Expression, expected: Type) -> bool:
        """Report mistakes in `expr`; True when every id in it is a literal we checked."""
        forms = _forms(expected)
        alias = next((form for form in forms if _is_id_alias(form)), None)
        if isinstance(expr, StrExpr):
            if not isinstance(alias, TypeAliasType) or alias.alias is None:
                return False
            table = self.tables[alias.alias.fullname]
            if expr.value not in table.load(alias):
                self.fail(table.unknown(expr.value), expr)
            return True
        if isinstance(expr, ConditionalExpr):
            left = self.check(expr.if_expr, expected)
            return self.check(expr.else_expr, expected) and left
        if isinstance(expr, LambdaExpr):
            self.check(expr.expr(), expected)
            return False  # the selector Protocol keeps its own type; mypy still checks the body
        # Dicts and lists keep their full type (mypy checks their other keys and values); the
        # plugin only adds short messages naming the bad id, key or value.
        if isinstance(expr, DictExpr):
            self._check_dict(expr, list(_typeddicts(forms)))
        elif isinstance(expr, (ListExpr, TupleExpr, SetExpr)):
            items = list(_item_types(forms))
            if items:
                member: Type = UnionType.make_union(items)
                checked = [self.check(item, member) for item in expr.items]
                # A list of checked ids only: mypy may read the element ids as `str` too.
                return bool(checked) and all(checked)
        return False

    def _check_dict(self, expr: DictExpr, candidates: list[TypedDictType]) -> None:
        keys = [key.value if isinstance(key, StrExpr) else None for key, _ in expr.items]
        if not candidates or None in keys:
            return
        given = {key for key in keys if key is not None}
        fitting = [td for td in candidates if td.required_keys <= given] or candidates
        typed = max(fitting, key=lambda td: len(given & set(td.items)))
        name = typed.fallback.type.name
        for (_, value), key in zip(expr.items, keys):
            assert key is not None
            if key not in typed.items:
                close = difflib.get_close_matches(key, list(typed.items), n=1, cutoff=0.6)
                guess = f'; did you mean "{close[0]}"?' if close else ""
                listed = ", ".join(typed.items)
                self.fail(f'"{key}" is not a key of {name}{guess} (keys: {listed})', expr)
                continue
            item_type = typed.items[key]
            if _find_alias(item_type) is not None:
                self.check(value, item_type)
            else:
                self._check_value(name, key, value, item_type)

    def _check_value(self, name: str, key: str, value: Expression, expected: Type) -> None:
        literal = self._literal_type(value)
        if literal is not None and not is_subtype(literal, expected):
            shown = value.value if isinstance(value, (StrExpr, IntExpr, FloatExpr)) else "?"
            self.fail(f'"{key}" of {name} takes {_short(expected)}, not {shown!r}', value)

    def _literal_type(self, value: Expression) -> ProperType | None:
        api = self.ctx.api
        if isinstance(value, StrExpr):
            return api.named_generic_type("builtins.str", [])
        if isinstance(value, IntExpr):
            return api.named_generic_type("builtins.int", [])
        if isinstance(value, FloatExpr):
            return api.named_generic_type("builtins.float", [])
        if isinstance(value, NameExpr) and value.fullname in ("builtins.True", "builtins.False"):
            return api.named_generic_type("builtins.bool", [])
        return None


def _short(typ: Type) -> str:
    text = str(get_proper_type(typ))
    return text if len(text) <= 60 else text[:57] + "..."


def _typeddicts(forms: list[Type]) -> Iterator[TypedDictType]:
    for form in forms:
        proper = get_proper_type(form)
        if isinstance(proper, TypedDictType):
            yield proper


def _item_types(forms: list[Type]) -> Iterator[Type]:
    """Element types of the sequence/set forms of a parameter (`Sequence[FallbackEntry]`)."""
    for form in forms:
        proper = get_proper_type(form)
        element = _element(proper)
        if element is not None:
            yield element


def _element(typ: ProperType) -> Type | None:
    """What a collection form holds, read as a Collection: `_FallbackPlan[ModelSpec]` holds
    FallbackEntry, not its argument."""
    if not isinstance(typ, Instance) or not typ.type.has_base("typing.Collection"):
        return None
    collection = next(b for b in typ.type.mro if b.fullname == "typing.Collection")
    return map_instance_to_supertype(typ, collection).args[0]


class ModelRouterPlugin(Plugin):
    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.tables = {fullname: _Ids(fullname) for fullname in _KINDS}
        self.ids = self.tables[_ALIAS]  # list/dict displays are checked against `ModelId` only

    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], CallableType] | None:
        return self._check_call

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], CallableType] | None:
        return self._check_call

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return self._check_display if fullname in _DISPLAYS else None

    def _check_display(self, ctx: FunctionContext) -> Type:
        """`IDS: list[ModelId] = [...]`: name a typo'd id in one short line.

        mypy checks a display's items before any hook runs, so its own message (the whole union
        in a line) stays; this adds the line that names the id. The display holds ids when its
        item (or value) type is exactly the catalogue's union, which mypy has flattened by then.
        """
        returned = get_proper_type(ctx.default_return_type)
        if not isinstance(returned, Instance) or not returned.args or not ctx.args:
            return ctx.default_return_type
        held = get_proper_type(returned.args[-1])
        if not isinstance(held, UnionType) or not self._is_catalogue(ctx, held):
            return ctx.default_return_type
        # A list or set display is `*items`; a dict display one `(key, value)` tuple per formal.
        for item in (item for actuals in ctx.args for item in actuals):
            value = item.items[-1] if isinstance(item, TupleExpr) else item
            if isinstance(value, StrExpr) and value.value not in (self.ids.ids or ()):
                ctx.api.fail(self.ids.unknown(value.value), value, code=MODEL_ID)
        return ctx.default_return_type

    def _is_catalogue(self, ctx: FunctionContext, union: UnionType) -> bool:
        first = get_proper_type(union.items[0])
        if not isinstance(first, LiteralType) or not isinstance(first.value, str):
            return False
        if self.ids.ids is None:
            # Read the ids from the alias once (no call taking a ModelId may have come first).
            modules = getattr(ctx.api, "modules", {})
            module = modules.get(_ALIAS.rsplit(".", 1)[0])
            node = module.names.get("ModelId") if module is not None else None
            if node is None or not isinstance(node.node, TypeAlias):
                return False
            self.ids.load(TypeAliasType(node.node, []))
        known = self.ids.ids or frozenset()
        if first.value not in known or len(union.items) != len(known):
            return False
        values = (get_proper_type(item) for item in union.items)
        return all(isinstance(v, LiteralType) and v.value in known for v in values)

    def _check_call(self, ctx: _SigContext) -> CallableType:
        signature = ctx.default_signature
        new_types = list(signature.arg_types)
        changed = False
        for index, (formal, actuals) in enumerate(zip(signature.arg_types, ctx.args)):
            if not actuals or _find_alias(formal) is None:
                continue
            checker = _Checker(ctx, self.tables)
            if all([checker.check(actual, formal) for actual in actuals]):
                new_types[index] = _id_as_str(formal, checker.str_type)
                changed = True
        return signature.copy_modified(arg_types=new_types) if changed else signature


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point: `plugins = ["modelrouter.mypy"]`."""
    return ModelRouterPlugin
