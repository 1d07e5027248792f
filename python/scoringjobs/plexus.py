"""``LocalClient``: the local store as the client of the Plexus model classes.

Plexus's model classes (``plexus.dashboard.api.models.*``) take an API client and call
``client.execute(query, variables)``. Give them a ``LocalClient(store)`` instead and they run
offline, unchanged: every document is executed with graphql-core against the API's schema
(the ScoringJob, BatchJob and BatchJobScoringJob parts, which the store keeps), with resolvers
backed by the store. Writes go through the store's create/update/link: durable when
``execute`` returns and queued for the next ``scoringjobs sync``. Answers are what AppSync
gives for the same document (AWSJSON as JSON text, AWSDateTime as stored, connections with
``limit``/``nextToken``, ``condition`` failing with ``DynamoDB:ConditionalCheckFailedException``).

Where the store differs from the API, on purpose (each answers an error, never a silent null):
deletes, ``updateBatchJobScoringJob``, subscriptions and fields of other models are not served;
a create's ``createdAt``/``updatedAt`` and a join row's ``id`` are made by the store; the
``updatedAt`` of an update is the store's own stamp (always later than the stored one, which
sync's compare-and-set needs), and an update that changes nothing writes nothing.

Threads: a LocalClient may be shared as its Store may (calls on one store are serialized).
"""

import collections
import json
import logging
import os
import threading

from graphql import build_ast_schema, parse, validate
from graphql.error import GraphQLError, GraphQLSyntaxError
from graphql.execution import execute
from graphql.language import ast

from . import _resolvers, _scalars, _wording
from ._errors import AppSyncError

__all__ = ["LocalClient", "LocalClientError", "SCHEMA_FILE"]

# The API's schema, installed beside this file (the repository's tests/appsync/schema.graphql).
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema.graphql")


class LocalClientError(Exception):
    """What ``execute`` raises when the answer has errors, as the Plexus client raises an
    ``Exception`` then. ``errors`` holds AppSync's error objects (``path``, ``errorType``,
    ``message``, ...), ``data`` the partial data; the message carries them as JSON."""

    def __init__(self, errors, data):
        super().__init__("GraphQL query failed: " + json.dumps(errors if len(errors) > 1 else errors[0]))
        self.errors = errors
        self.data = data


_executing = threading.local()


class _QuietAnsweredErrors(logging.Filter):
    """graphql-core 2 logs every resolver exception with its traceback. Inside
    LocalClient.execute each one is also answered to the caller (in LocalClientError's
    errors), so the log line would only repeat it on stderr."""

    def filter(self, record):
        return not getattr(_executing, "active", False)


for _name in ("graphql.execution.executor", "graphql.execution.utils"):
    logging.getLogger(_name).addFilter(_QuietAnsweredErrors())

_schema = None
_schema_lock = threading.Lock()


def _load_schema():
    global _schema
    with _schema_lock:
        if _schema is None:
            with open(SCHEMA_FILE, encoding="utf-8") as f:
                schema = build_ast_schema(parse(_scalars.PRELUDE + f.read()))
            _scalars.install(schema)
            _resolvers.install(schema)
            _schema = schema
    return _schema


def _plain(value):
    """graphql-core's OrderedDicts as plain dicts and lists, as a JSON answer parses."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _operation(document, name):
    operations = [d for d in document.definitions if isinstance(d, ast.OperationDefinition)]
    if name:
        return next((o for o in operations if o.name and o.name.value == name), None)
    return operations[0] if len(operations) == 1 else None


def _execution_error(error):
    original = getattr(error, "original_error", None)
    locations = [{"line": l.line, "column": l.column, "sourceName": None} for l in (error.locations or [])] or None
    path = list(error.path) if getattr(error, "path", None) else None
    if isinstance(original, AppSyncError):
        return {"path": path, "data": None, "errorType": original.error_type, "errorInfo": None,
                "locations": locations, "message": original.message}
    if isinstance(original, _scalars.ScalarError):
        return {"path": path, "locations": None, "message": "Can't serialize value (/{}) : {}".format(
            "/".join(str(p) for p in path or []), original)}
    return {"path": path, "data": None, "errorType": "InternalFailure", "errorInfo": None, "locations": locations,
            "message": str(original if original is not None else error)}


class LocalClient:
    """A drop-in for the client argument of the Plexus model classes, backed by ``store``
    (a ``scoringjobs.Store``)."""

    _CACHE_SIZE = 256

    def __init__(self, store):
        self.store = store
        self._schema = _load_schema()
        self._documents = collections.OrderedDict()  # query text -> (document, request-level errors)
        self._lock = threading.Lock()

    def _document(self, query):
        with self._lock:
            cached = self._documents.get(query)
            if cached is not None:
                self._documents.move_to_end(query)
                return cached
        try:
            document = parse(query)
        except GraphQLSyntaxError as e:
            entry = (None, [_wording.syntax_error(e)])
        else:
            errors = validate(self._schema, document)
            entry = (document, [_wording.validation_error(e, document) for e in errors])
        with self._lock:
            self._documents[query] = entry
            if len(self._documents) > self._CACHE_SIZE:
                self._documents.popitem(last=False)
        return entry

    def execute(self, query, variables=None, operation_name=None, **kwargs):
        """Runs one GraphQL document; returns its ``data`` dict, or raises LocalClientError
        (an ``Exception``) carrying AppSync's errors. Other keyword arguments the Plexus client
        takes (e.g. ``retry_policy``) are accepted and have nothing to do here."""
        document, errors = self._document(query)
        if errors:
            raise LocalClientError(errors, None)
        operation = _operation(document, operation_name)
        if operation is not None and operation.operation == "subscription":
            raise LocalClientError([_wording.request_error(
                "Subscriptions are not served by the local store: it has no change feed; use the API")], None)
        _executing.active = True
        try:
            result = execute(self._schema, document, context_value=self, variable_values=variables or {},
                             operation_name=operation_name)
        except GraphQLError as e:  # graphql-core 2 raises variable coercion errors: nothing ran
            raise LocalClientError([_wording.coercion_error(e)], None) from None
        finally:
            _executing.active = False
        if result.invalid:
            shaped = []
            for e in result.errors:
                shaped.append(_wording.coercion_error(e) if isinstance(e, GraphQLError)
                              else _wording.request_error(str(e)))
            raise LocalClientError(shaped, None)
        data = _plain(result.data)
        if result.errors:
            raise LocalClientError([_execution_error(e) for e in result.errors], data)
        return data
