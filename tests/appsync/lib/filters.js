'use strict';
// Amplify turns `filter` / `condition` inputs into DynamoDB FilterExpression /
// ConditionExpression text. This evaluates the same inputs directly with
// DynamoDB's semantics: a function or comparison on a missing attribute is
// false, `<>` on a missing attribute is true, operands of different types never
// compare equal or ordered, strings order by UTF-8 bytes.

const { compareStrings } = require('./store');
const { dynamoValidation } = require('./errors');

const ATTRIBUTE_TYPES = {
  binary: 'B', binarySet: 'BS', bool: 'BOOL', list: 'L', map: 'M',
  number: 'N', numberSet: 'NS', string: 'S', stringSet: 'SS', _null: 'NULL',
};

function typeOf(value) {
  if (value === undefined) return undefined;
  if (value === null) return 'NULL';
  if (typeof value === 'string') return 'S';
  if (typeof value === 'number') return 'N';
  if (typeof value === 'boolean') return 'BOOL';
  if (Array.isArray(value)) return 'L';
  return 'M';
}

function equal(a, b) {
  const ta = typeOf(a);
  if (ta === undefined || ta !== typeOf(b)) return false;
  if (ta === 'L' || ta === 'M') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

// -1/0/1, or null when DynamoDB would not order the two operands.
function order(a, b) {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return null;
  if (ta === 'S') return compareStrings(a, b);
  if (ta === 'N') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function compare(op, a, b) {
  if (op === 'eq') return equal(a, b);
  if (op === 'ne') return !equal(a, b);
  const c = order(a, b);
  if (c === null) return false;
  if (op === 'lt') return c < 0;
  if (op === 'le') return c <= 0;
  if (op === 'gt') return c > 0;
  if (op === 'ge') return c >= 0;
  throw new Error(`unknown comparison ${op}`);
}

function between(value, range) {
  const lo = order(value, range[0]);
  const hi = order(value, range[1]);
  return lo !== null && hi !== null && lo >= 0 && hi <= 0;
}

function contains(value, operand) {
  if (typeof value === 'string') return typeof operand === 'string' && value.includes(operand);
  if (Array.isArray(value)) return value.some((v) => equal(v, operand));
  return false;
}

function sizeOf(value) {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return undefined; // size() of a number, bool or NULL is not defined
}

// One attribute's operator object, e.g. {ne: "x", beginsWith: "a"}: all ANDed.
function matchAttribute(value, ops) {
  for (const [op, operand] of Object.entries(ops)) {
    // An explicit null operand means "not given", except for eq/ne where it
    // is DynamoDB's NULL value.
    if (operand === undefined || (operand === null && op !== 'eq' && op !== 'ne')) continue;
    let ok;
    switch (op) {
      case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge':
        ok = value === undefined ? op === 'ne' : compare(op, value, operand);
        break;
      case 'between':
        ok = value !== undefined && between(value, operand);
        break;
      case 'beginsWith':
        ok = typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
        break;
      case 'contains':
        ok = value !== undefined && contains(value, operand);
        break;
      case 'notContains':
        ok = !(value !== undefined && contains(value, operand));
        break;
      case 'attributeExists':
        ok = (value !== undefined) === operand;
        break;
      case 'attributeType':
        ok = value !== undefined && typeOf(value) === ATTRIBUTE_TYPES[operand];
        break;
      case 'size': {
        const size = value === undefined ? undefined : sizeOf(value);
        ok = size !== undefined && matchAttribute(size, operand);
        break;
      }
      default:
        throw new Error(`unsupported operator ${op}`);
    }
    if (!ok) return false;
  }
  return true;
}

// Evaluate a Model*FilterInput / Model*ConditionInput against an item.
function matches(expr, item) {
  if (expr === null || expr === undefined) return true;
  for (const [key, sub] of Object.entries(expr)) {
    if (sub === null || sub === undefined) continue;
    if (key === 'and') {
      if (!sub.every((e) => e === null || matches(e, item))) return false;
    } else if (key === 'or') {
      const live = sub.filter((e) => e !== null);
      if (live.length > 0 && !live.some((e) => matches(e, item))) return false;
    } else if (key === 'not') {
      if (matches(sub, item)) return false;
    } else if (!matchAttribute(item[key], sub)) {
      return false;
    }
  }
  return true;
}

// DynamoDB rejects malformed expressions before reading anything.
// `kind` is "FilterExpression" or "ConditionExpression" (used in messages).
function validateExpression(expr, kind) {
  if (expr === null || expr === undefined) return;
  for (const [key, sub] of Object.entries(expr)) {
    if (sub === null || sub === undefined) continue;
    if (key === 'and' || key === 'or') sub.forEach((e) => validateExpression(e, kind));
    else if (key === 'not') validateExpression(sub, kind);
    else validateOperators(sub, kind);
  }
}

function validateOperators(ops, kind) {
  for (const [op, operand] of Object.entries(ops)) {
    if (op === 'between' && operand !== null && operand !== undefined) {
      validateBetween(operand, kind);
    }
    if (op === 'size' && operand) validateOperators(operand, kind);
  }
}

function validateBetween(range, kind) {
  if (range.length !== 2) {
    throw dynamoValidation(
      `Invalid ${kind}: The BETWEEN operator requires exactly two operands; operands: ${range.length}`,
    );
  }
  const c = order(range[0], range[1]);
  if (c !== null && c > 0) {
    throw dynamoValidation(
      `Invalid ${kind}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ` +
      `lower operand: AttributeValue: {${describe(range[0])}}, upper operand: AttributeValue: {${describe(range[1])}}`,
    );
  }
}

function describe(v) {
  return `${typeOf(v)}:${v}`;
}

// ModelStringKeyConditionInput on a sort key: exactly one operator allowed.
function validateKeyCondition(cond, indexName, skName) {
  const ops = Object.entries(cond || {}).filter(([, v]) => v !== null && v !== undefined);
  if (ops.length > 1) {
    throw dynamoValidation('KeyConditionExpressions must only contain one condition per key');
  }
  for (const [op, operand] of ops) {
    const values = op === 'between' ? operand : [operand];
    if (values.some((v) => v === '')) {
      throw dynamoValidation(
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an ' +
        `empty string value. IndexName: ${indexName}, IndexKey: ${skName}`,
      );
    }
    if (op === 'between') validateBetween(operand, 'KeyConditionExpression');
  }
}

function matchesKeyCondition(value, cond) {
  if (!cond) return true;
  return matchAttribute(value, cond);
}

module.exports = {
  matches,
  validateExpression,
  validateKeyCondition,
  matchesKeyCondition,
};
