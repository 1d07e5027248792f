'use strict';
// The stock Amplify (graphql-transformer v2) resolvers over DynamoDB, for our
// three models: create/update/delete with their key conditions, get, scans,
// index queries, and the hasMany/belongsTo connection fields.

const { MODELS } = require('./models');
const { runQuery, firstPageToken } = require('./query');
const { matches, validateExpression } = require('./filters');
const { itemSize, MAX_ITEM_BYTES } = require('./store');
const { AppSyncError, conditionalCheckFailed, dynamoValidation, invalidNextToken, randomUUID } = require('./errors');
const { normaliseInput } = require('./awsjson');

function keyEmptyError() {
  return dynamoValidation(
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an ' +
    'empty string value. Key: id',
  );
}

function checkTableKey(id) {
  if (id === null || id === undefined) {
    throw dynamoValidation('One or more parameter values were invalid: Type mismatch for key id expected: S actual: NULL');
  }
  if (id === '') throw keyEmptyError();
}

// DynamoDB's checks on GSI key attributes being written: no empty strings,
// and a NULL value cannot be an index key (Amplify strips nulls only from
// @index-annotated fields on create, so e.g. ScoringJob.createdAt: null hits this).
function checkIndexKeys(model, written) {
  for (const index of MODELS[model].indexes) {
    for (const attr of [index.pk, index.sk]) {
      if (!attr || !(attr in written)) continue;
      if (written[attr] === '') {
        throw dynamoValidation(
          'One or more parameter values are not valid. A value specified for a secondary index key is not ' +
          'supported. The AttributeValue for a key attribute cannot contain an empty string value. ' +
          `IndexName: ${index.name}, IndexKey: ${attr}`,
        );
      }
      if (written[attr] === null) {
        throw dynamoValidation(
          `One or more parameter values were invalid: Type mismatch for Index Key ${attr} Expected: S ` +
          `Actual: NULL IndexName: ${index.name}`,
        );
      }
    }
  }
}

// A `reject` fault rule fails chosen mutation aliases before they touch the store.
function applyRejectFault(ctx, info, input) {
  if (!ctx.faults) return;
  const rule = ctx.faults.rejectFor(ctx.operationName, info.fieldName, JSON.stringify(input));
  if (rule) {
    ctx.aliasFaults.push(rule.mode);
    throw new AppSyncError(rule.errorType, rule.message);
  }
}

// With `normaliseAwsJson`, AWSJSON is stored as AppSync would re-serialise it.
function storedInput(ctx, info, model, input) {
  return ctx.normaliseAwsJson ? normaliseInput(info.schema, model, input) : input;
}

function createResolver(model) {
  return (_root, { input: sent, condition }, ctx, info) => {
    applyRejectFault(ctx, info, sent);
    const input = storedInput(ctx, info, model, sent);
    validateExpression(condition, 'ConditionExpression');
    const now = new Date().toISOString();
    // Amplify: defaults first, then everything the input carries (nulls too).
    const item = { id: randomUUID(), createdAt: now, updatedAt: now, ...input, __typename: model };
    for (const field of MODELS[model].indexAnnotatedFields) {
      if (item[field] === null) delete item[field];
    }
    ctx.loggedId = item.id;
    checkTableKey(item.id);
    checkIndexKeys(model, item);
    if (itemSize(item) > MAX_ITEM_BYTES) throw dynamoValidation('Item size has exceeded the maximum allowed size');
    // attribute_not_exists(id) AND <condition>
    const existing = ctx.store.get(model, item.id);
    if (existing || !matches(condition, {})) throw conditionalCheckFailed();
    ctx.store.put(model, item);
    return item;
  };
}

function updateResolver(model) {
  return (_root, { input: sent, condition }, ctx, info) => {
    applyRejectFault(ctx, info, sent);
    const input = storedInput(ctx, info, model, sent);
    validateExpression(condition, 'ConditionExpression');
    ctx.loggedId = input.id;
    checkTableKey(input.id);
    const { id, ...changes } = { updatedAt: new Date().toISOString(), ...input };
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== null));
    checkIndexKeys(model, set);
    const existing = ctx.store.get(model, id);
    const updated = { ...(existing || { id }) };
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete updated[k]; // Amplify: null in input -> REMOVE
      else updated[k] = v;
    }
    if (itemSize(updated) > MAX_ITEM_BYTES) {
      throw dynamoValidation('Item size to update has exceeded the maximum allowed size');
    }
    // attribute_exists(id) AND <condition>
    if (!existing || !matches(condition, existing)) throw conditionalCheckFailed();
    ctx.store.put(model, updated);
    return updated;
  };
}

function deleteResolver(model) {
  return (_root, { input, condition }, ctx, info) => {
    applyRejectFault(ctx, info, input);
    validateExpression(condition, 'ConditionExpression');
    ctx.loggedId = input.id;
    checkTableKey(input.id);
    const existing = ctx.store.get(model, input.id);
    if (!existing || !matches(condition, existing)) throw conditionalCheckFailed();
    ctx.store.delete(model, input.id);
    return existing;
  };
}

// Reads go through ctx.reader (see consistency.js), writes through ctx.store.
function getResolver(model) {
  return (_root, { id }, ctx) => {
    ctx.loggedId = id;
    if (id === '') throw keyEmptyError();
    return ctx.reader.get(model, id);
  };
}

// A Query/Scan, unless a refuse-token rule refuses its nextToken or a
// repeat-token rule answers the page with a token that returns it again
// (the request's own one, or on a first page one that restarts it).
function pagedQuery(ctx, info, params) {
  const hasToken = Boolean(params.nextToken);
  const rule = ctx.faults ? ctx.faults.pageFaultFor(ctx.operationName, info.fieldName, hasToken) : null;
  if (rule) ctx.aliasFaults.push(rule.mode);
  if (rule && rule.mode === 'refuse-token') throw invalidNextToken();
  const page = runQuery(ctx.reader, params);
  if (!rule) return page;
  return { ...page, nextToken: params.nextToken || firstPageToken(params.model, params.indexName, params.pkValue) };
}

function scanResolver(model) {
  return (_root, args, ctx, info) => pagedQuery(ctx, info, { model, indexName: null, ...pageArgs(args) });
}

function indexQueryResolver(model, index) {
  return (_root, args, ctx, info) => {
    ctx.loggedId = args[index.pk];
    return pagedQuery(ctx, info, {
      model,
      indexName: index.name,
      pkValue: args[index.pk],
      skCondition: index.sk ? args[index.sk] : null,
      sortDirection: args.sortDirection,
      ...pageArgs(args),
    });
  };
}

function pageArgs({ filter, limit, nextToken }) {
  return { filter, limit, nextToken: nextToken === '' ? null : nextToken };
}

// hasMany over the join table's GSI; no parent id -> empty connection.
function hasManyResolver(indexName) {
  return (parent, args, ctx, info) => {
    if (parent.id === null || parent.id === undefined) return { items: [], nextToken: null };
    return pagedQuery(ctx, info, {
      model: 'BatchJobScoringJob',
      indexName,
      pkValue: parent.id,
      sortDirection: args.sortDirection,
      ...pageArgs(args),
    });
  };
}

// belongsTo(references): a GetItem by the reference field, null if absent.
function belongsToResolver(model, field) {
  return (parent, _args, ctx) => {
    const id = parent[field];
    if (typeof id !== 'string' || id === '') return null;
    return ctx.reader.get(model, id);
  };
}

// Wrap a top-level resolver so the request log records its outcome.
function logged(fieldName, resolve) {
  return (root, args, ctx, info) => {
    const entry = { alias: info.path.key, field: fieldName, id: null, outcome: 'ok' };
    ctx.fieldLog.push(entry);
    const scoped = Object.create(ctx);
    try {
      return resolve(root, args, scoped, info);
    } catch (err) {
      entry.outcome = err instanceof AppSyncError ? err.errorType : 'InternalFailure';
      throw err;
    } finally {
      entry.id = scoped.loggedId === undefined ? null : scoped.loggedId;
    }
  };
}

function buildResolvers() {
  const Query = {};
  const Mutation = {};
  for (const [model, meta] of Object.entries(MODELS)) {
    Query[meta.get] = getResolver(model);
    Query[meta.list] = scanResolver(model);
    for (const index of meta.indexes) {
      if (index.query) Query[index.query] = indexQueryResolver(model, index);
    }
    Mutation[`create${model}`] = createResolver(model);
    Mutation[`update${model}`] = updateResolver(model);
    Mutation[`delete${model}`] = deleteResolver(model);
  }
  for (const group of [Query, Mutation]) {
    for (const name of Object.keys(group)) group[name] = logged(name, group[name]);
  }
  return {
    Query,
    Mutation,
    BatchJob: { scoringJobs: hasManyResolver('gsi-BatchJob.scoringJobs') },
    ScoringJob: { batchJobLinks: hasManyResolver('gsi-ScoringJob.batchJobLinks') },
    BatchJobScoringJob: {
      batchJob: belongsToResolver('BatchJob', 'batchJobId'),
      scoringJob: belongsToResolver('ScoringJob', 'scoringJobId'),
    },
  };
}

// Attach resolvers to the fields of the built schema; `dropped` ("Type.field")
// are the fields a drifted schema left out on purpose.
function installResolvers(schema, dropped = new Set()) {
  for (const [typeName, fields] of Object.entries(buildResolvers())) {
    const typeFields = schema.getType(typeName).getFields();
    for (const [name, resolve] of Object.entries(fields)) {
      if (dropped.has(`${typeName}.${name}`)) continue;
      if (!typeFields[name]) throw new Error(`schema has no ${typeName}.${name}`);
      typeFields[name].resolve = resolve;
    }
  }
}

module.exports = { installResolvers };
