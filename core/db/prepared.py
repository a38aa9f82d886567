"""Rows of a query whose SQL is worked out once per shape and run again with new values.

Building a QuerySet and compiling it to SQL costs Django a few milliseconds when the query
is large (the site search's are: full-text matching, ranking, highlights, subqueries). A
query that keeps its shape and changes only some values is compiled once, with stand-in
values, and then run with the values of each request in their place.

What a build function may do: use its values as they are, as lookup values (`filter(pk=pk)`,
`topics__in=ids`, a search text), and build the same query whatever they are. It must not
read the clock (`timezone.localdate()`: a date of today would be kept), nor normalise a value
(`.lower()`), nor branch on one (`if value:`) unless `shape` tells the branches apart.

What is checked, and otherwise run as usual each time (a warning logged once per shape):
- the values are strings or integers, or lists of them (never None or a boolean), on every
  call;
- compiled with two sets of stand-ins, the query gives the same SQL, its parameters differing
  exactly where the stand-ins are: a value of the moment that changes between two
  compilations (the time now), a value rewritten on its way (a `LIKE` pattern, a normalised
  string: the string stand-ins are mixed-case and padded) or a value that does not reach the
  SQL are found;
- compiled a third time with the first values asked for, it gives that SQL again, those values
  put in: a stand-in took no other branch than those values do;
- compiling raises nothing (an empty list makes Django give up the query: it is run as usual,
  and returns nothing).
The rows are converted as Django converts them.
"""

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# Two sets of stand-ins, told apart from any value a query holds of its own: strings that
# `.lower()`, `.strip()` or `.upper()` would change, integers a thousand apart.
_STAND_INS = (
    {str: " \ue010Prepared-A-{}\ue011 ", int: -7_301_000_000},
    {str: " \ue010Prepared-B-{}\ue011 ", int: -7_302_000_000},
)
_STEP = 1000
# Shapes kept per prepared query; a shape is a few bytes of SQL and a list of positions.
MAX_SHAPES = 256


class NotPreparable(Exception):
    """The query cannot be run from its compiled SQL (see the module's docstring)."""


@dataclass(frozen=True)
class _Shape:
    sql: str
    params: tuple
    # (position in params, value name, index in a list value or None)
    slots: tuple[tuple[int, str, int | None], ...]
    names: tuple[str, ...]
    # Django's converters by column: functions of the backend's operations, the same for
    # every connection to the database.
    converters: dict
    alias: str


def _kind(value) -> type | None:
    """`str` or `int` for a value that can be prepared, else None."""
    if type(value) is str or type(value) is int:
        return type(value)
    return None


def _signature(values: dict) -> tuple | None:
    """What of the values changes the SQL by itself: each one's name, type and, for a list,
    its items' types; None when a value cannot be prepared."""
    signature = []
    for name in sorted(values):
        value = values[name]
        if isinstance(value, list | tuple):
            kinds = tuple(_kind(item) for item in value)
            if None in kinds:
                return None
            signature.append((name, kinds))
        elif (kind := _kind(value)) is not None:
            signature.append((name, kind))
        else:
            return None
    return tuple(signature)


def _stand_ins(values: dict, which: int) -> dict:
    """`values` with each value replaced by a stand-in of its type (a list item by item)."""
    kinds = _STAND_INS[which]

    def stand_in(value, number: int):
        if _kind(value) is int:
            return kinds[int] - number * _STEP
        return kinds[str].format(number)

    replaced, number = {}, 0
    for name, value in values.items():
        if isinstance(value, list | tuple):
            replaced[name] = [stand_in(item, number + index) for index, item in enumerate(value)]
            number += len(value)
        else:
            replaced[name] = stand_in(value, number)
            number += 1
    return replaced


def _where(stand_ins: dict) -> dict:
    """Each stand-in: the name of its value and its index in a list value (or None)."""
    found = {}
    for name, value in stand_ins.items():
        if isinstance(value, list):
            found.update({item: (name, index) for index, item in enumerate(value)})
        else:
            found[value] = (name, None)
    return found


def _names(queryset: QuerySet) -> tuple[str, ...]:
    """The names of the columns of a query of values, as ValuesIterable reads them."""
    query = queryset.query
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)


def _compiled(queryset: QuerySet) -> tuple[str, tuple, tuple[str, ...], dict]:
    try:
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
    except Exception as error:  # an empty list, a value the field refuses...
        raise NotPreparable(f"the query does not compile: {error!r}") from error
    names = _names(queryset)
    if len(names) > compiler.col_count:
        raise NotPreparable("the query selects fewer columns than its values")
    # What Django converts in Python, by position: the converters and their expressions.
    converters = compiler.get_converters([column[0] for column in compiler.select[: len(names)]])
    return sql, tuple(params), names, converters


def _put_in(params: tuple, slots: tuple, values: dict) -> list:
    """The compiled parameters with `values` in their stand-ins' places."""
    params = list(params)
    for position, name, index in slots:
        value = values[name]
        params[position] = value if index is None else value[index]
    return params


class PreparedRows:
    """`build(**values)`, a QuerySet of `.values()` or `.values_list()` (not flat), run from
    SQL compiled once per shape.

    The values are strings, integers, or lists of them. One compilation is kept per shape:
    the values' types and the lengths of the lists, the active language and time zone (a
    query may hold a translated label or a day in local time), and what `shape(**values)`
    returns when a value changes the SQL itself (one that leaves out a condition when a
    value is empty, say). A shape that cannot be prepared is run as usual.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        shape: Callable[..., Hashable] = lambda **values: None,
    ):
        self.build = build
        self.shape = shape
        self._shapes: dict[Hashable, _Shape | None] = {}
        self._lock = threading.Lock()

    def prepare(self, **values) -> _Shape:
        """Compile the query for the shape of `values` (see the module's docstring)."""
        if _signature(values) is None:
            raise NotPreparable("only strings, integers and lists of them are prepared")
        first, second = _stand_ins(values, 0), _stand_ins(values, 1)
        queryset = self.build(**first)
        sql, params, names, converters = _compiled(queryset)
        other_sql, other_params, _, _ = _compiled(self.build(**second))
        if sql != other_sql or len(params) != len(other_params):
            raise NotPreparable("the SQL depends on the values")
        firsts, seconds = _where(first), _where(second)
        slots = []
        for position, (param, other) in enumerate(zip(params, other_params, strict=True)):
            if param == other:
                continue
            slot = firsts.get(param) if isinstance(param, Hashable) else None
            if slot is None or slot != seconds.get(other):
                raise NotPreparable(f"parameter {position} changes by itself")
            slots.append((position, *slot))
        if {slot[1:] for slot in slots} != set(firsts.values()):
            raise NotPreparable("a value does not reach the SQL as a parameter")
        # The query built with the values themselves must be the same, values put in:
        # a stand-in must not take the query down another branch than the values do.
        own_sql, own_params, _, _ = _compiled(self.build(**values))
        if own_sql != sql or list(own_params) != _put_in(params, slots, values):
            raise NotPreparable("the values take the query down another branch")
        return _Shape(sql, params, tuple(slots), names, converters, queryset.db)

    def _shape_for(self, values: dict) -> _Shape | None:
        signature = _signature(values)
        if signature is None:
            return None  # a None, a date...: run as usual
        moment = (translation.get_language(), timezone.get_current_timezone_name())
        key = (signature, moment, self.shape(**values))
        try:
            return self._shapes[key]
        except KeyError:
            pass
        try:
            shape = self.prepare(**values)
        except NotPreparable:
            # Run as usual; said in the logs once per shape, for whoever wrote the query.
            logger.warning("Query %r not prepared", self.build, exc_info=True)
            shape = None
        with self._lock:
            if len(self._shapes) >= MAX_SHAPES:
                self._shapes.clear()
            self._shapes[key] = shape
        return shape

    def rows(self, **values) -> list[dict]:
        """The rows of `build(**values)` as dicts, as `.values()` gives them."""
        shape = self._shape_for(values)
        if shape is None:
            queryset = self.build(**values)
            names = _names(queryset)
            return [
                row if isinstance(row, dict) else dict(zip(names, row, strict=True))
                for row in queryset
            ]
        # A row may end with columns the values do not name (an ordering DISTINCT needs).
        names = shape.names
        return [dict(zip(names, row, strict=False)) for row in self._run(shape, values)]

    def tuples(self, **values) -> list[tuple]:
        """The rows of `build(**values)` as tuples, in the order of its columns (as
        `.values_list()` gives them)."""
        shape = self._shape_for(values)
        if shape is None:
            rows = self.build(**values)
            return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]
        width = len(shape.names)
        return [tuple(row[:width]) for row in self._run(shape, values)]

    @staticmethod
    def _run(shape: _Shape, values: dict) -> list:
        params = _put_in(shape.params, shape.slots, values)
        connection = connections[shape.alias]
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, params)
            rows = cursor.fetchall()
        if shape.converters:
            # As SQLCompiler.apply_converters.
            rows = [list(row) for row in rows]
            for position, (functions, expression) in shape.converters.items():
                for row in rows:
                    for function in functions:
                        row[position] = function(row[position], expression, connection)
        return rows
