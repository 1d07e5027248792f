"""AppSync's built-in scalars and directives, which the schema file (like AppSync) leaves
undeclared, declared before building the schema and given AppSync's semantics: a client-sent
AWSDateTime is checked and kept as sent; an AWSJSON value stays the JSON text the client sent.
(The local test server does the same in tests/appsync/lib/scalars.js.)"""

import json
import re

from graphql.language import ast

PRELUDE = """
schema { query: Query mutation: Mutation subscription: Subscription }
scalar AWSDate
scalar AWSTime
scalar AWSDateTime
scalar AWSTimestamp
scalar AWSEmail
scalar AWSJSON
scalar AWSURL
scalar AWSPhone
scalar AWSIPAddress
directive @aws_api_key on OBJECT | FIELD_DEFINITION | INPUT_OBJECT
directive @aws_iam on OBJECT | FIELD_DEFINITION | INPUT_OBJECT
directive @aws_oidc on OBJECT | FIELD_DEFINITION | INPUT_OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION | INPUT_OBJECT
directive @aws_lambda on OBJECT | FIELD_DEFINITION | INPUT_OBJECT
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
"""

_DATE = r"(-?\d{4})-(\d{2})-(\d{2})"
_TIME = r"(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?"
_OFFSET = r"(Z|[+-](\d{2}):(\d{2})(?::(\d{2}))?)"
_DATETIME = re.compile("^" + _DATE + "T" + _TIME + _OFFSET + "$")


def _valid_date(y, m, d):
    year, month, day = int(y), int(m), int(d)
    if month < 1 or month > 12 or day < 1:
        return False
    leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return day <= days


def is_datetime(value):
    """AppSync's AWSDateTime: RFC 3339 with a compulsory offset, seconds optional."""
    if not isinstance(value, str):
        return False
    m = _DATETIME.match(value)
    if not m:
        return False
    y, mo, d, h, mi, s, zone, oh, om, os_ = m.groups()
    if not _valid_date(y, mo, d) or int(h) > 23 or int(mi) > 59 or (s is not None and int(s) > 59):
        return False
    if zone == "Z":
        return True
    return int(om) <= 59 and int(os_ or 0) <= 59 and int(oh) * 3600 + int(om) * 60 + int(os_ or 0) <= 18 * 3600


def is_json(value):
    if not isinstance(value, str):
        return False
    try:
        json.loads(value)
        return True
    except ValueError:
        return False


class ScalarError(ValueError):
    """A value a scalar refuses, worded as AppSync words it."""


def _string_scalar(check, what):
    # graphql-core 2 takes None from parse_value/parse_literal as "invalid".
    def parse_value(value):
        return value if check(value) else None

    def parse_literal(node):
        if isinstance(node, ast.StringValue) and check(node.value):
            return node.value
        return None

    def serialize(value):
        if not check(value):
            raise ScalarError("Unable to serialize `{}` as a valid {}.".format(value, what))
        return value

    return parse_value, parse_literal, serialize


def _json_serialize(value):
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def install(schema):
    """Gives the scalars build_ast_schema made AppSync's parsing (the others accept any string)."""
    for name, check, what in (("AWSDateTime", is_datetime, "DateTime Object"), ("AWSJSON", is_json, "JSON Object")):
        scalar = schema.get_type(name)
        scalar.parse_value, scalar.parse_literal, scalar.serialize = _string_scalar(check, what)
    schema.get_type("AWSJSON").serialize = _json_serialize
    for name in ("AWSDate", "AWSTime", "AWSTimestamp", "AWSEmail", "AWSURL", "AWSPhone", "AWSIPAddress"):
        scalar = schema.get_type(name)
        scalar.parse_value = lambda value: value
        scalar.parse_literal = lambda node: getattr(node, "value", None)
        scalar.serialize = lambda value: value
