"""Model*FilterInput / Model*ConditionInput evaluated with DynamoDB's semantics, as the stock
Amplify resolvers have DynamoDB evaluate them (a port of tests/appsync/lib/filters.js): a
comparison or function on a missing attribute is false, ``ne``/``notContains`` on a missing
one is true, operands of different types never compare equal or ordered, strings order by
their UTF-8 bytes (for Python str: by code points, the same order)."""

from ._errors import dynamo_validation

_ATTRIBUTE_TYPES = {
    "binary": "B", "binarySet": "BS", "bool": "BOOL", "list": "L", "map": "M",
    "number": "N", "numberSet": "NS", "string": "S", "stringSet": "SS", "_null": "NULL",
}

_MISSING = object()


def _type_of(value):
    if value is _MISSING:
        return None
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, str):
        return "S"
    if isinstance(value, (int, float)):
        return "N"
    if isinstance(value, list):
        return "L"
    return "M"


def _equal(a, b):
    ta = _type_of(a)
    return ta is not None and ta == _type_of(b) and a == b


def _order(a, b):
    """-1/0/1, or None when DynamoDB would not order the two operands."""
    ta = _type_of(a)
    if ta != _type_of(b) or ta not in ("S", "N"):
        return None
    return -1 if a < b else (1 if a > b else 0)


def _compare(op, a, b):
    if op == "eq":
        return _equal(a, b)
    if op == "ne":
        return not _equal(a, b)
    c = _order(a, b)
    if c is None:
        return False
    return {"lt": c < 0, "le": c <= 0, "gt": c > 0, "ge": c >= 0}[op]


def _between(value, bounds):
    lo, hi = _order(value, bounds[0]), _order(value, bounds[1])
    return lo is not None and hi is not None and lo >= 0 and hi <= 0


def _contains(value, operand):
    if isinstance(value, str):
        return isinstance(operand, str) and operand in value
    if isinstance(value, list):
        return any(_equal(v, operand) for v in value)
    return False


def _size_of(value):
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, (list, dict)):
        return len(value)
    return None  # size() of a number, bool or NULL is not defined


def _match_attribute(value, ops):
    """One attribute's operators, e.g. {ne: "x", beginsWith: "a"}: all must hold."""
    for op, operand in ops.items():
        # An explicit null operand means "not given", except for eq/ne (DynamoDB's NULL).
        if operand is None and op not in ("eq", "ne"):
            continue
        if op in ("eq", "ne", "lt", "le", "gt", "ge"):
            ok = (op == "ne") if value is _MISSING else _compare(op, value, operand)
        elif op == "between":
            ok = value is not _MISSING and _between(value, operand)
        elif op == "beginsWith":
            ok = isinstance(value, str) and isinstance(operand, str) and value.startswith(operand)
        elif op == "contains":
            ok = value is not _MISSING and _contains(value, operand)
        elif op == "notContains":
            ok = not (value is not _MISSING and _contains(value, operand))
        elif op == "attributeExists":
            ok = (value is not _MISSING) == operand
        elif op == "attributeType":
            ok = value is not _MISSING and _type_of(value) == _ATTRIBUTE_TYPES[operand]
        elif op == "size":
            size = None if value is _MISSING else _size_of(value)
            ok = size is not None and _match_attribute(size, operand)
        else:
            raise ValueError("unsupported operator " + op)
        if not ok:
            return False
    return True


def matches(expression, item):
    """Whether ``item`` (attribute name -> value; an unset attribute is absent) satisfies a
    filter or condition input. None matches everything."""
    if not expression:
        return True
    for key, sub in expression.items():
        if sub is None:
            continue
        if key == "and":
            if not all(e is None or matches(e, item) for e in sub):
                return False
        elif key == "or":
            live = [e for e in sub if e is not None]
            if live and not any(matches(e, item) for e in live):
                return False
        elif key == "not":
            if matches(sub, item):
                return False
        elif not _match_attribute(item.get(key, _MISSING), sub):
            return False
    return True


def attributes(record):
    """A record's wire shape as the DynamoDB item it stands for: unset fields are absent."""
    return {k: v for k, v in record.items() if v is not None}


def validate_expression(expression, kind):
    """DynamoDB refuses malformed expressions before reading anything. ``kind`` is
    "FilterExpression" or "ConditionExpression" (it appears in the message)."""
    if not expression:
        return
    for key, sub in expression.items():
        if sub is None:
            continue
        if key in ("and", "or"):
            for e in sub:
                validate_expression(e, kind)
        elif key == "not":
            validate_expression(sub, kind)
        else:
            _validate_operators(sub, kind)


def _validate_operators(ops, kind):
    for op, operand in ops.items():
        if op == "between" and operand is not None:
            _validate_between(operand, kind)
        if op == "size" and operand:
            _validate_operators(operand, kind)


def _describe(value):
    return "{}:{}".format(_type_of(value), value)


def _validate_between(bounds, kind):
    if len(bounds) != 2:
        raise dynamo_validation(
            "Invalid {}: The BETWEEN operator requires exactly two operands; operands: {}".format(kind, len(bounds)))
    c = _order(bounds[0], bounds[1])
    if c is not None and c > 0:
        raise dynamo_validation(
            "Invalid {}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
            "lower operand: AttributeValue: {{{}}}, upper operand: AttributeValue: {{{}}}".format(
                kind, _describe(bounds[0]), _describe(bounds[1])))


def validate_key_condition(condition, index_name, sort_key):
    """ModelStringKeyConditionInput on a sort key: exactly one operator, no empty strings."""
    ops = [(op, v) for op, v in (condition or {}).items() if v is not None]
    if len(ops) > 1:
        raise dynamo_validation("KeyConditionExpressions must only contain one condition per key")
    for op, operand in ops:
        values = operand if op == "between" else [operand]
        if any(v == "" for v in values):
            raise dynamo_validation(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                "an empty string value. IndexName: {}, IndexKey: {}".format(index_name, sort_key))
        if op == "between":
            _validate_between(operand, "KeyConditionExpression")


def matches_key_condition(value, condition):
    return not condition or _match_attribute(value, condition)


def _prefix_end(prefix):
    """The least string greater than every string starting with ``prefix`` (None: none is)."""
    chars = list(prefix)
    while chars:
        code = ord(chars.pop()) + 1
        if 0xD800 <= code <= 0xDFFF:
            code = 0xE000  # surrogates have no UTF-8 form: the next code point after them
        if code <= 0x10FFFF:
            return "".join(chars) + chr(code)
    return None


def key_condition_bounds(condition):
    """A (validated) sort-key condition as the bounds of the range it selects:
    (lower, lower_inclusive, upper, upper_inclusive), None where unbounded."""
    for op, v in (condition or {}).items():
        if v is None:
            continue
        if op == "eq":
            return v, True, v, True
        if op == "le":
            return None, True, v, True
        if op == "lt":
            return None, True, v, False
        if op == "ge":
            return v, True, None, True
        if op == "gt":
            return v, False, None, True
        if op == "between":
            return v[0], True, v[1], True
        if op == "beginsWith":
            return v, True, _prefix_end(v), False
    return None, True, None, True
