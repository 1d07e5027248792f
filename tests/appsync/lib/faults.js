'use strict';
// Fault rules set through /admin/faults. Rules are checked in the order they
// were added; the first one that matches the request and has count left
// applies (and uses one count). `reject`, `refuse-token` and `repeat-token`
// rules act per alias (per list/index query) instead and use one count per
// alias they change.

const http = require('node:http');
const { TokenBucket } = require('./ratelimit');

const REQUEST_MODES = [
  'fail', 'throttle', 'drop', 'drop-response', 'delay', 'hang', 'trickle',
  'reset-mid-body', 'garbage', 'truncate', 'oversize', 'respond', 'null-fields', 'empty-data', 'rate-limit',
];
const ALIAS_MODES = ['reject', 'refuse-token', 'repeat-token'];
const MODES = [...REQUEST_MODES, ...ALIAS_MODES];

// Modes that run the document before spoiling the response (so mutations are
// applied even though the client never gets a usable answer).
const EXECUTING_MODES = new Set([
  'drop-response', 'delay', 'trickle', 'reset-mid-body', 'garbage', 'truncate', 'oversize',
]);

// Does this rule run the document before it answers? (`respond` only with `execute: true`.)
function runsDocument(rule) {
  return EXECUTING_MODES.has(rule.mode) || (rule.mode === 'respond' && rule.execute === true);
}

const FAIL_BODIES = {
  500: ['InternalFailure', 'An internal failure occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'Service unavailable.'],
  504: ['GatewayTimeout', 'Gateway timeout.'],
};

const DEFAULT_STATUS = { throttle: 429, 'rate-limit': 429, respond: 200 };

class FaultError extends Error {}

function checkRate(body) {
  const { perSecond } = body;
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) {
    throw new FaultError(`rate-limit needs perSecond, a number > 0, got ${JSON.stringify(perSecond)}`);
  }
  checkInt(body, 'burst', 1);
}

// A `respond` rule's canned answer: checked here so a bad one is refused when
// added, not turned into a 500 when a request meets it.
function checkCanned(body) {
  if (body.status !== undefined && (!Number.isInteger(body.status) || body.status < 200 || body.status > 599)) {
    throw new FaultError(`status must be an integer 200..599, got ${JSON.stringify(body.status)}`);
  }
  if (body.body !== undefined && typeof body.body !== 'string') {
    throw new FaultError(`body must be a string (sent as is), got ${JSON.stringify(body.body)}`);
  }
  if (body.execute !== undefined && typeof body.execute !== 'boolean') {
    throw new FaultError(`execute must be true or false, got ${JSON.stringify(body.execute)}`);
  }
  const { headers } = body;
  if (headers === undefined) return;
  if (!headers || typeof headers !== 'object' || Array.isArray(headers)) {
    throw new FaultError('headers must be an object of header name -> string value');
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new FaultError(`header ${JSON.stringify(name)} must have a string value`);
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
    } catch (err) {
      throw new FaultError(`header ${JSON.stringify(name)}: ${err.message}`);
    }
    if (/^(content-length|transfer-encoding)$/i.test(name)) {
      throw new FaultError(`header ${JSON.stringify(name)} is set by the server from the body`);
    }
  }
}

function checkInt(body, name, min) {
  const v = body[name];
  if (v === undefined || v === null) return;
  if (!Number.isInteger(v) || v < min) throw new FaultError(`${name} must be an integer >= ${min}`);
}

function compile(pattern, name) {
  if (pattern === undefined || pattern === null) return null;
  if (typeof pattern !== 'string') throw new FaultError(`${name} must be a string (a regular expression)`);
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new FaultError(`${name} is not a valid regular expression: ${err.message}`);
  }
}

class Faults {
  constructor() {
    this.rules = [];
    this.nextId = 1;
  }

  clear() {
    this.rules = [];
  }

  add(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new FaultError('body must be a JSON object');
    if (!MODES.includes(body.mode)) throw new FaultError(`mode must be one of ${MODES.join(', ')}`);
    checkInt(body, 'count', 1);
    checkInt(body, 'status', 100);
    checkInt(body, 'retryAfter', 0);
    checkInt(body, 'delayMs', 0);
    checkInt(body, 'intervalMs', 1);
    checkInt(body, 'bytes', 2);
    const match = compile(body.match, 'match');
    const matchInput = compile(body.matchInput, 'matchInput');
    if (body.mode === 'reject' && !matchInput) throw new FaultError('reject needs matchInput');
    if (body.mode === 'delay' && body.delayMs === undefined) throw new FaultError('delay needs delayMs');
    if (body.mode === 'respond') checkCanned(body);
    if (body.mode === 'rate-limit') checkRate(body);
    const status = body.status ?? DEFAULT_STATUS[body.mode] ?? 503;
    const [errorType, message] = body.mode === 'fail'
      ? (FAIL_BODIES[status] || ['InternalFailure', 'An internal failure occurred.'])
      : body.mode === 'throttle' || body.mode === 'rate-limit' ? ['ThrottlingException', 'Rate exceeded']
        : ['DynamoDB:DynamoDbException', 'One or more parameter values are not valid. Rejected by test fault.'];
    const rule = {
      ...body,
      id: this.nextId++,
      count: body.count ?? null,
      remaining: body.count ?? null,
      hits: 0,
      status,
      errorType: body.errorType ?? errorType,
      message: body.message ?? message,
      intervalMs: body.intervalMs ?? 1000,
      bytes: body.bytes ?? 2 * 1024 * 1024,
      ...(body.mode === 'respond'
        ? { body: body.body ?? '', headers: body.headers ?? {}, execute: body.execute ?? false } : {}),
      ...(body.mode === 'rate-limit' ? { burst: body.burst ?? Math.max(1, Math.floor(body.perSecond)) } : {}),
    };
    if (rule.mode === 'rate-limit') {
      Object.defineProperty(rule, 'bucket', { value: new TokenBucket(rule.perSecond, rule.burst), enumerable: false });
    }
    Object.defineProperty(rule, 'matchRe', { value: match, enumerable: false });
    Object.defineProperty(rule, 'matchInputRe', { value: matchInput, enumerable: false });
    this.rules.push(rule);
    return rule;
  }

  list() {
    return this.rules;
  }

  static matchesRequest(rule, operationName, fieldNames) {
    if (!rule.matchRe) return true;
    if (operationName && rule.matchRe.test(operationName)) return true;
    return fieldNames.some((f) => rule.matchRe.test(f));
  }

  // The request-level rule to apply, if any; uses one of its counts. A
  // rate-limit rule applies only when its bucket is empty: a request within
  // the rate takes a token and goes on to the next rules.
  pick(operationName, fieldNames) {
    for (const rule of this.rules) {
      if (ALIAS_MODES.includes(rule.mode) || rule.remaining === 0) continue;
      if (!Faults.matchesRequest(rule, operationName, fieldNames)) continue;
      if (rule.mode === 'rate-limit' && rule.bucket.take()) continue;
      use(rule);
      return rule;
    }
    return null;
  }

  // Called by a mutation resolver: does a reject rule refuse this alias?
  rejectFor(operationName, fieldName, inputJson) {
    for (const rule of this.rules) {
      if (rule.mode !== 'reject' || rule.remaining === 0) continue;
      if (!Faults.matchesRequest(rule, operationName, [fieldName])) continue;
      if (!rule.matchInputRe.test(inputJson)) continue;
      use(rule);
      return rule;
    }
    return null;
  }

  // Called by a list/index query (or connection field) resolver: does a
  // refuse-token rule refuse its nextToken (only if it has one), or a
  // repeat-token rule make it hand back a token that never ends the pass?
  pageFaultFor(operationName, fieldName, hasToken) {
    for (const rule of this.rules) {
      if (rule.mode !== 'repeat-token' && !(rule.mode === 'refuse-token' && hasToken)) continue;
      if (rule.remaining === 0 || !Faults.matchesRequest(rule, operationName, [fieldName])) continue;
      use(rule);
      return rule;
    }
    return null;
  }
}

function use(rule) {
  rule.hits += 1;
  if (rule.remaining !== null) rule.remaining -= 1;
}

module.exports = { Faults, FaultError, runsDocument, REQUEST_MODES };
