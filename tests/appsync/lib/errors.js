'use strict';
// Errors a resolver can raise, carrying AppSync's `errorType`. The GraphQL
// layer (execute.js) turns them into AppSync's per-field error shape.

const { randomUUID } = require('node:crypto');

class AppSyncError extends Error {
  constructor(errorType, message) {
    super(message);
    this.errorType = errorType;
  }
}

// AppSync appends the AWS SDK suffix to every DynamoDB failure message.
// (Real DynamoDB request ids are 52 base32 chars; the brief asks for a uuid.)
function dynamoSuffix() {
  return ` (Service: DynamoDb, Status Code: 400, Request ID: ${randomUUID()})`;
}

function conditionalCheckFailed() {
  return new AppSyncError(
    'DynamoDB:ConditionalCheckFailedException',
    'The conditional request failed' + dynamoSuffix(),
  );
}

// Any DynamoDB ValidationException surfaces as DynamoDB:DynamoDbException.
function dynamoValidation(message) {
  return new AppSyncError('DynamoDB:DynamoDbException', message + dynamoSuffix());
}

function invalidNextToken() {
  return new AppSyncError(
    'DynamoDB:UserIllegalArgumentException',
    'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
  );
}

module.exports = {
  AppSyncError,
  conditionalCheckFailed,
  dynamoValidation,
  invalidNextToken,
  randomUUID,
};
