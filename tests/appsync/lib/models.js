'use strict';
// What Amplify generated for each model: its DynamoDB GSIs and which query
// field reads which index. Index names follow the Amplify index transformer's
// default (`${camel(plural(Model))}By${Pk}And${Sk}`); the two `gsi-*` ones are
// what a Gen2 hasMany(references) creates for the connection fields.

const MODELS = {
  ScoringJob: {
    // Fields carrying an @index directive (partition keys): the create
    // resolver drops them when the input sets them to null.
    indexAnnotatedFields: ['itemId', 'accountId', 'scoreId'],
    indexes: [
      { name: 'scoringJobsByItemId', pk: 'itemId', query: 'listScoringJobByItemId' },
      {
        name: 'scoringJobsByItemIdAndScoreId', pk: 'itemId', sk: 'scoreId',
        query: 'listScoringJobByItemIdAndScoreId',
      },
      { name: 'scoringJobsByAccountId', pk: 'accountId', query: 'listScoringJobByAccountId' },
      {
        name: 'scoringJobsByAccountIdAndCreatedAt', pk: 'accountId', sk: 'createdAt',
        query: 'listScoringJobByAccountIdAndCreatedAt',
      },
      { name: 'scoringJobsByScoreId', pk: 'scoreId', query: 'listScoringJobByScoreId' },
    ],
    get: 'getScoringJob',
    list: 'listScoringJobs',
  },
  BatchJob: {
    indexAnnotatedFields: ['accountId', 'scorecardId', 'scoreId'],
    indexes: [
      { name: 'batchJobsByAccountId', pk: 'accountId', query: 'listBatchJobByAccountId' },
      { name: 'batchJobsByScorecardId', pk: 'scorecardId', query: 'listBatchJobByScorecardId' },
      { name: 'batchJobsByScoreId', pk: 'scoreId', query: 'listBatchJobByScoreId' },
    ],
    get: 'getBatchJob',
    list: 'listBatchJobs',
  },
  BatchJobScoringJob: {
    indexAnnotatedFields: ['batchJobId'],
    indexes: [
      {
        name: 'batchJobScoringJobsByBatchJobId', pk: 'batchJobId',
        query: 'listBatchJobScoringJobByBatchJobId',
      },
      { name: 'gsi-BatchJob.scoringJobs', pk: 'batchJobId' },
      { name: 'gsi-ScoringJob.batchJobLinks', pk: 'scoringJobId' },
    ],
    get: 'getBatchJobScoringJob',
    list: 'listBatchJobScoringJobs',
  },
};

const MODEL_NAMES = Object.keys(MODELS);

function indexByName(model, name) {
  return MODELS[model].indexes.find((ix) => ix.name === name);
}

module.exports = { MODELS, MODEL_NAMES, indexByName };
