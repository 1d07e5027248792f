"""DynamoDB Query/Scan pagination over the store's indexes, as Amplify's list resolvers use it
(a port of tests/appsync/lib/query.js): ``limit`` (default 100) caps the items READ, the filter
runs on the items read, and a page that stopped because it read ``limit`` items (or 1 MB)
returns a nextToken even when nothing is left. Pages come from the store
(scoringjobs._core.local.page), which reads them in the index's order."""

import base64
import binascii
import json
from collections import namedtuple

from . import _core
from ._conditions import (attributes, key_condition_bounds, matches, matches_key_condition,
                          validate_expression, validate_key_condition)
from ._errors import dynamo_validation, invalid_next_token

DEFAULT_LIMIT = 100
PAGE_BYTES = 1024 * 1024  # DynamoDB ends a Query/Scan page at 1 MB read

# name: the GSI's name (tokens are bound to it); partition/sort: its key fields.
Index = namedtuple("Index", "name partition sort")
TABLE = Index("<table>", "", "")


def _encode_token(scope, last, sort):
    key = {"id": last["id"]}
    if sort:
        key["sk"] = last[sort]
    text = json.dumps({"version": 1, "scope": scope, "lastEvaluatedKey": key}, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _decode_token(token, scope):
    try:
        parsed = json.loads(base64.b64decode(token.encode("ascii"), validate=True).decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeError):
        raise invalid_next_token()
    key = parsed.get("lastEvaluatedKey") if isinstance(parsed, dict) else None
    if parsed.get("version") != 1 or parsed.get("scope") != scope or not isinstance(key, dict) \
            or not isinstance(key.get("id"), str):
        raise invalid_next_token()
    return key


def _item_size(model, record):
    """DynamoDB's item size (attribute name bytes plus value bytes), as the remote stores it:
    with its __typename, without unset attributes."""
    size = len("__typename") + len(model)
    for name, value in record.items():
        if value is None:
            continue
        size += len(name.encode("utf-8"))
        if isinstance(value, str):
            size += len(value.encode("utf-8"))
        elif isinstance(value, bool):
            size += 1
        else:
            digits = len("".join(c for c in str(abs(value)) if c.isdigit()).lstrip("0"))
            size += (digits + 1) // 2 + 1
    return size


def run_query(store, model, index, partition_value=None, key_condition=None, sort_direction=None, filter=None,
              limit=None, next_token=None):
    """One page: {"items": [...wire shapes...], "nextToken": str or None}."""
    if index.partition and partition_value == "":
        raise dynamo_validation(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
            "empty string value. IndexName: {}, IndexKey: {}".format(index.name, index.partition))
    if index.sort and key_condition:
        validate_key_condition(key_condition, index.name, index.sort)
    validate_expression(filter, "FilterExpression")
    most = DEFAULT_LIMIT if limit is None else limit
    if most < 1:
        raise dynamo_validation(
            "1 validation error detected: Value '{}' at 'limit' failed to satisfy constraint: Member must have value "
            "greater than or equal to 1".format(most))

    query = _core.local.IndexQuery()
    query.partition = index.partition
    query.partition_value = partition_value or ""
    query.sort = index.sort
    query.descending = sort_direction == "DESC"
    if index.sort and key_condition:
        (query.lower, query.lower_inclusive, query.upper, query.upper_inclusive) = key_condition_bounds(key_condition)
    scope = "{}|{}|{}".format(model, index.name, partition_value if index.partition else "")
    if next_token:
        start = _decode_token(next_token, scope)
        if index.sort:
            if not isinstance(start.get("sk"), str):
                raise invalid_next_token()
            if key_condition and not matches_key_condition(start["sk"], key_condition):
                raise dynamo_validation(
                    "The provided starting key is outside query boundaries based on provided conditions")
            query.after_sort = start["sk"]
        else:
            query.after_sort = start["id"]
        query.after_id = start["id"]
    query.limit = most

    read = _core.local.page(model, store, query)
    stopped = len(read) >= most
    size = 0
    for n, record in enumerate(read):
        size += _item_size(model, record)
        if size >= PAGE_BYTES:
            read = read[:n + 1]
            stopped = True
            break
    items = read if not filter else [r for r in read if matches(filter, attributes(r))]
    return {
        "items": items,
        "nextToken": _encode_token(scope, read[-1], index.sort) if stopped and read else None,
    }
