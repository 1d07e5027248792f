'use strict';
// DynamoDB Query/Scan with its pagination rules, as Amplify's list resolvers
// use them: `limit` (default 100) caps the items READ, the filter runs on the
// items read, and a page that stopped because it read `limit` items (or 1 MB)
// returns a nextToken even when nothing is left.

const { compareStrings, itemSize } = require('./store');
const { indexByName } = require('./models');
const { dynamoValidation, invalidNextToken } = require('./errors');
const { matches, validateExpression, validateKeyCondition, matchesKeyCondition } = require('./filters');

const DEFAULT_LIMIT = 100;
const PAGE_BYTES = 1024 * 1024; // DynamoDB stops a Query/Scan page at 1 MB read

/**
 * @param store      Store, or what reads see instead (consistency.js): anything with all(model)
 * @param model      model name
 * @param indexName  GSI name, or null for a table scan
 * @param pkValue    partition key value (index queries)
 * @param skCondition ModelStringKeyConditionInput on the sort key, or null
 * @param sortDirection 'ASC' | 'DESC' | null
 * @param filter, limit, nextToken  the GraphQL arguments
 */
function runQuery(store, { model, indexName, pkValue, skCondition, sortDirection, filter, limit, nextToken }) {
  const index = indexName ? indexByName(model, indexName) : null;
  if (index) validatePartitionValue(index, pkValue);
  if (index && index.sk && skCondition) validateKeyCondition(skCondition, index.name, index.sk);
  validateExpression(filter, 'FilterExpression');
  const max = limit === null || limit === undefined ? DEFAULT_LIMIT : limit;
  if (max < 1) {
    throw dynamoValidation(
      `1 validation error detected: Value '${max}' at 'limit' failed to satisfy constraint: ` +
      'Member must have value greater than or equal to 1',
    );
  }

  const scope = scopeOf(model, index, pkValue);
  const keyOf = (item) => ({ id: item.id, sk: index && index.sk ? item[index.sk] : undefined });
  const cmp = makeComparator(index, sortDirection === 'DESC');

  let candidates = readSource(store, model, index, pkValue, skCondition).sort(cmp);
  const start = nextToken ? decodeToken(nextToken, scope) : null;
  if (start) {
    if (index && index.sk && typeof start.sk !== 'string') throw invalidNextToken();
    if (index && index.sk && skCondition && !matchesKeyCondition(start.sk, skCondition)) {
      throw dynamoValidation('The provided starting key is outside query boundaries based on provided conditions');
    }
    const startItem = { id: start.id, ...(index && index.sk ? { [index.sk]: start.sk } : {}) };
    candidates = candidates.filter((item) => cmp(item, startItem) > 0);
  }

  const read = [];
  let bytes = 0;
  let stopped = false;
  for (const item of candidates) {
    read.push(item);
    bytes += itemSize(item);
    if (read.length >= max || bytes >= PAGE_BYTES) {
      stopped = true;
      break;
    }
  }
  const items = read.filter((item) => matches(filter, item));
  const last = read[read.length - 1];
  return {
    items,
    nextToken: stopped ? encodeToken(scope, keyOf(last)) : null,
    scannedCount: read.length,
  };
}

function validatePartitionValue(index, value) {
  if (value === '') {
    throw dynamoValidation(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an ' +
      `empty string value. IndexName: ${index.name}, IndexKey: ${index.pk}`,
    );
  }
}

// Items that are in the index at all (GSIs are sparse: an item lacking a
// string key attribute is not in it) and satisfy the key condition.
function readSource(store, model, index, pkValue, skCondition) {
  const all = store.all(model);
  if (!index) return all;
  return all.filter((item) => {
    if (typeof item[index.pk] !== 'string' || item[index.pk] !== pkValue) return false;
    if (!index.sk) return true;
    if (typeof item[index.sk] !== 'string') return false;
    return matchesKeyCondition(item[index.sk], skCondition);
  });
}

// Index order: sort key then id (the table key); partition-only and scans: id.
function makeComparator(index, descending) {
  const sk = index && index.sk;
  const base = (a, b) => {
    if (sk) {
      const c = compareStrings(a[sk], b[sk]);
      if (c !== 0) return c;
    }
    return compareStrings(a.id, b.id);
  };
  return descending ? (a, b) => base(b, a) : base;
}

const scopeOf = (model, index, pkValue) => `${model}|${index ? index.name : '<table>'}|${index ? pkValue : ''}`;

// Opaque to clients; bound to the table/index/partition it was issued for.
function encodeToken(scope, key) {
  const json = JSON.stringify({ version: 1, scope, lastEvaluatedKey: key });
  return Buffer.from(json, 'utf8').toString('base64');
}

// A token that starts the query from its first page again (only a
// repeat-token fault hands one out; no real DynamoDB key does this).
function firstPageToken(model, indexName, pkValue) {
  const index = indexName ? indexByName(model, indexName) : null;
  const json = JSON.stringify({ version: 1, scope: scopeOf(model, index, pkValue), restart: true });
  return Buffer.from(json, 'utf8').toString('base64');
}

function decodeToken(token, scope) {
  let parsed;
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw new Error('not base64');
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalidNextToken();
  }
  if (!parsed || parsed.version !== 1 || parsed.scope !== scope) throw invalidNextToken();
  if (parsed.restart === true) return null; // see firstPageToken
  const key = parsed.lastEvaluatedKey;
  if (!key || typeof key.id !== 'string') throw invalidNextToken();
  return key;
}

module.exports = { runQuery, firstPageToken, DEFAULT_LIMIT };
