"""The errors LocalClient answers with, in AppSync's shapes."""

import uuid


class AppSyncError(Exception):
    """An error of one field, carrying AppSync's errorType; becomes a null field plus an
    ``errors[]`` entry ``{path, data, errorType, errorInfo, locations, message}``."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def _dynamo_suffix():
    return " (Service: DynamoDb, Status Code: 400, Request ID: {})".format(uuid.uuid4())


def conditional_check_failed():
    return AppSyncError("DynamoDB:ConditionalCheckFailedException", "The conditional request failed" + _dynamo_suffix())


def dynamo_validation(message):
    return AppSyncError("DynamoDB:DynamoDbException", message + _dynamo_suffix())


def invalid_next_token():
    return AppSyncError(
        "DynamoDB:UserIllegalArgumentException",
        "com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.",
    )


def not_kept(what, why):
    """A field or operation of the API that the local store does not keep: never a silent null."""
    return AppSyncError("LocalStore:NotKept", "{}: not served by the local store ({})".format(what, why))


def from_library(error):
    """A scoringjobs.Error the store raised for a field's work, e.g. LocalStore:InvalidArgument."""
    return AppSyncError("LocalStore:" + type(error).__name__, str(error))
