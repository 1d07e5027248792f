"""The resolvers LocalClient installs on the schema: the stock Amplify resolvers' semantics
(create/update with their key conditions and ``condition``, get, scans, index queries, the
hasMany/belongsTo connections), served by the local store. Every write goes through the
store's create/update/link, so it is validated, durable and queued for sync."""

from . import _core
from ._conditions import attributes, matches, validate_expression
from ._errors import conditional_check_failed, dynamo_validation, from_library, not_kept
from ._pages import TABLE, Index, run_query
from ._core import Conflict, Error, NotFound

_local = _core.local

# Each model's query fields: (field, index, sort-key argument). From the remote schema's
# @index directives (tests/appsync/lib/models.js names them the same way).
_QUERIES = {
    "ScoringJob": [
        ("listScoringJobs", TABLE, None),
        ("listScoringJobByItemId", Index("scoringJobsByItemId", "itemId", ""), None),
        ("listScoringJobByItemIdAndScoreId", Index("scoringJobsByItemIdAndScoreId", "itemId", "scoreId"), "scoreId"),
        ("listScoringJobByAccountId", Index("scoringJobsByAccountId", "accountId", ""), None),
        ("listScoringJobByAccountIdAndCreatedAt",
         Index("scoringJobsByAccountIdAndCreatedAt", "accountId", "createdAt"), "createdAt"),
        ("listScoringJobByScoreId", Index("scoringJobsByScoreId", "scoreId", ""), None),
    ],
    "BatchJob": [
        ("listBatchJobs", TABLE, None),
        ("listBatchJobByAccountId", Index("batchJobsByAccountId", "accountId", ""), None),
        ("listBatchJobByScorecardId", Index("batchJobsByScorecardId", "scorecardId", ""), None),
        ("listBatchJobByScoreId", Index("batchJobsByScoreId", "scoreId", ""), None),
    ],
    "BatchJobScoringJob": [
        ("listBatchJobScoringJobs", TABLE, None),
        ("listBatchJobScoringJobByBatchJobId",
         Index("batchJobScoringJobsByBatchJobId", "batchJobId", ""), None),
    ],
}


def _store(info):
    return info.context.store


def _get(model):
    def resolve(root, info, id):
        if id == "":
            raise dynamo_validation("One or more parameter values are not valid. The AttributeValue for a key "
                                    "attribute cannot contain an empty string value. Key: id")
        return _local.get(model, _store(info), id)
    return resolve


def _list(model, index, sort_argument):
    def resolve(root, info, filter=None, limit=None, nextToken=None, sortDirection=None, **keys):
        return run_query(_store(info), model, index,
                         partition_value=keys.get(index.partition) if index.partition else None,
                         key_condition=keys.get(sort_argument) if sort_argument else None,
                         sort_direction=sortDirection, filter=filter, limit=limit,
                         next_token=nextToken or None)
    return resolve


def _create(model):
    def resolve(root, info, input, condition=None):
        validate_expression(condition, "ConditionExpression")
        # attribute_not_exists(id) AND condition, the condition evaluated on the empty item.
        if not matches(condition, {}):
            raise conditional_check_failed()
        try:
            return _local.create(model, _store(info), dict(input))
        except Conflict as e:
            if model != "BatchJobScoringJob":
                raise conditional_check_failed() from e  # the id exists
            raise from_library(e) from e
        except Error as e:
            raise from_library(e) from e
    return resolve


def _update(model):
    def resolve(root, info, input, condition=None):
        validate_expression(condition, "ConditionExpression")
        changes = dict(input)
        # The store stamps updatedAt itself, later than the stored one: sync's
        # compare-and-set relies on it. (The Plexus client sends its clock's now.)
        changes.pop("updatedAt", None)
        test = (lambda stored: matches(condition, attributes(stored))) if condition else None
        try:
            return _local.update(model, _store(info), changes, test)
        except NotFound as e:  # attribute_exists(id)
            raise conditional_check_failed() from e
        except Conflict as e:
            if e.field == "condition":
                raise conditional_check_failed() from e
            raise from_library(e) from e
        except Error as e:
            raise from_library(e) from e
    return resolve


def _not_kept(field, why):
    def resolve(root, info, **args):
        raise not_kept(field, why)
    return resolve


def _has_many(index_name, partition):
    index = Index(index_name, partition, "")

    def resolve(parent, info, filter=None, limit=None, nextToken=None, sortDirection=None):
        if parent.get("id") is None:
            return {"items": [], "nextToken": None}
        return run_query(_store(info), "BatchJobScoringJob", index, partition_value=parent["id"],
                         sort_direction=sortDirection, filter=filter, limit=limit, next_token=nextToken or None)
    return resolve


def _belongs_to(model, field):
    def resolve(parent, info):
        target = parent.get(field)
        if not isinstance(target, str) or target == "":
            return None
        return _local.get(model, _store(info), target)
    return resolve


def install(schema):
    """Attaches the resolvers to the schema's fields; every Query and Mutation field gets one."""
    query = schema.get_query_type().fields
    mutation = schema.get_mutation_type().fields
    for model, lists in _QUERIES.items():
        query["get" + model].resolver = _get(model)
        for field, index, sort_argument in lists:
            query[field].resolver = _list(model, index, sort_argument)
        mutation["create" + model].resolver = _create(model)
        mutation["update" + model].resolver = _update(model)
        mutation["delete" + model].resolver = _not_kept(
            "delete" + model, "it never deletes a record; delete through the API")
    mutation["updateBatchJobScoringJob"].resolver = _not_kept(
        "updateBatchJobScoringJob", "it keeps join rows as created and moves no job between batches")
    # hasMany(references) over the join table, and belongsTo by the reference field.
    schema.get_type("BatchJob").fields["scoringJobs"].resolver = _has_many("gsi-BatchJob.scoringJobs", "batchJobId")
    schema.get_type("ScoringJob").fields["batchJobLinks"].resolver = _has_many("gsi-ScoringJob.batchJobLinks", "scoringJobId")
    link = schema.get_type("BatchJobScoringJob").fields
    link["batchJob"].resolver = _belongs_to("BatchJob", "batchJobId")
    link["scoringJob"].resolver = _belongs_to("ScoringJob", "scoringJobId")
    for group in (query, mutation):
        missing = [name for name, field in group.items() if field.resolver is None]
        if missing:
            raise RuntimeError("no resolver for " + ", ".join(missing))
