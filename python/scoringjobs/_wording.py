"""AppSync runs graphql-java; clients see its wording. This maps graphql-core's validation and
variable errors to that wording and to AppSync's request-level error shape (as the local test
server does in tests/appsync/lib/wording.js), naming what the local store does not keep."""

import re

from graphql.language import ast

_ROOTS = ("Query", "Mutation", "Subscription")


def _locations(error):
    return [{"line": l.line, "column": l.column, "sourceName": None} for l in (error.locations or [])] or None


def request_error(message, error=None):
    return {"path": None, "locations": _locations(error) if error is not None else None, "message": message}


def _field_path(document, position):
    """graphql-java's "@ 'a/b'": the field names from the operation root to ``position``."""
    best = []

    def walk(selection_set, trail):
        for selection in getattr(selection_set, "selections", None) or []:
            loc = selection.loc
            if loc is None or not (loc.start <= position < loc.end):
                continue
            if isinstance(selection, ast.Field):
                trail_here = trail + [selection.name.value]
                best[:] = trail_here
                walk(selection.selection_set, trail_here)
            else:
                walk(selection.selection_set, trail)

    for definition in document.definitions:
        loc = definition.loc
        if loc is not None and loc.start <= position < loc.end and getattr(definition, "selection_set", None):
            walk(definition.selection_set, [])
    return "/".join(best) or None


def _not_kept_hint(type_name):
    if type_name in _ROOTS:
        return (" (not served by the local store: it keeps only ScoringJob, BatchJob and BatchJobScoringJob, "
                "the models it syncs)")
    return " (not served by the local store: it keeps only these fields of {})".format(type_name)


_RULES = [
    (r'^Cannot query field "(.+?)" on type "(.+?)"\.',
     lambda m: ("FieldUndefined", "Field '{}' in type '{}' is undefined{}".format(m[1], m[2], _not_kept_hint(m[2]))),
     True),
    (r'^Unknown argument "(.+?)" on field "(.+?)"', lambda m: ("UnknownArgument", "Unknown field argument " + m[1]),
     True),
    (r'^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required but not provided\.',
     lambda m: ("MissingFieldArgument", "Missing field argument " + m[2]), True),
    (r'^Field "(.+?)" of type "(.+?)" must have a sub selection\.',
     lambda m: ("SubSelectionRequired", "Sub selection required for type {} of field {}".format(m[2], m[1])), True),
    (r'^Field "(.+?)" of type "(.+?)" must not have a sub selection\.',
     lambda m: ("SubSelectionNotAllowed", "Sub selection not allowed on leaf type {} of field {}".format(m[2], m[1])),
     True),
    (r'^Variable "\$(.+?)" is never used', lambda m: ("UnusedVariable", "Unused variable " + m[1]), False),
    (r'^Variable "\$(.+?)" is not defined', lambda m: ("UndefinedVariable", "Undefined variable " + m[1]), True),
    (r'^Variable "\$(.+?)" of type "(.+?)" used in position expecting type "(.+?)"\.',
     lambda m: ("VariableTypeMismatch", "Variable type '{}' doesn't match expected type '{}'".format(m[2], m[3])),
     True),
    (r'^Unknown type "(.+?)"\.', lambda m: ("UnknownType", "Unknown type " + m[1]), False),
    (r'^Unknown directive "(.+?)"\.', lambda m: ("UnknownDirective", "Unknown directive " + m[1]), True),
    (r'^Argument "(.+?)" has invalid value (.*)', lambda m: ("WrongType", "argument '{}' with value '{}'".format(
        m[1], m[2].split("\n")[0].rstrip("."))), True),
]


def validation_error(error, document):
    message = error.message
    for pattern, build, with_path in _RULES:
        m = re.match(pattern, message, re.S)
        if not m:
            continue
        kind, text = build(m)
        path = None
        if with_path and error.nodes and error.nodes[0].loc is not None:
            path = _field_path(document, error.nodes[0].loc.start)
        return request_error("Validation error of type {}: {}{}".format(kind, text, " @ '{}'".format(path) if path
                                                                           else ""), error)
    return request_error("Validation error of type InvalidSyntax: " + message, error)


def coercion_error(error):
    message = error.message
    m = re.match(r'^Variable "\$(.+?)" of required type "(.+?)" was not provided\.', message)
    if m:
        return request_error("Variable '{}' has coerced Null value for NonNull type '{}'".format(m[1], m[2]), error)
    m = re.match(r'^Variable "\$(.+?)" got invalid value (.*?)\.\n(.*)$', message, re.S)
    if m:
        detail = " ".join(line.strip() for line in m[3].splitlines())
        return request_error("Variable '{}' has an invalid value. {}".format(m[1], detail), error)
    return request_error(message.replace('"', "'"), error)


def syntax_error(error):
    return request_error("Invalid Syntax : " + error.message.split("\n")[0], error)
