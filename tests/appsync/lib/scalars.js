'use strict';
// AppSync's built-in scalars and directives, which AppSync (and so the schema
// file) leaves undeclared. Values are validated the way AppSync documents and
// passed through unchanged: a client-sent AWSDateTime is stored and echoed
// exactly as sent, an AWSJSON value stays the string the client sent.

const { Kind } = require('graphql');
const net = require('node:net');
const { normaliseJson } = require('./awsjson');

const PRELUDE = `
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
`;

// Carries the AppSync wording for a value a scalar refuses; execute.js
// prefixes it with "Variable 'x' has an invalid value. ".
class ScalarError extends Error {
  constructor(appsyncMessage) {
    super(appsyncMessage);
    this.appsyncMessage = appsyncMessage;
  }
}

const DATE = '(-?\\d{4})-(\\d{2})-(\\d{2})';
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?';
const OFFSET = '(Z|[+-](\\d{2}):(\\d{2})(?::(\\d{2}))?)';
const DATETIME_RE = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);
const DATE_RE = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_RE = new RegExp(`^${TIME}${OFFSET}?$`);

function validDate(y, m, d) {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

function validTime(h, mi, s) {
  return Number(h) <= 23 && Number(mi) <= 59 && (s === undefined || Number(s) <= 59);
}

function validOffset(z, oh, om, os) {
  if (z === undefined || z === 'Z') return true;
  const secs = Number(oh) * 3600 + Number(om) * 60 + Number(os || 0);
  return Number(om) <= 59 && Number(os || 0) <= 59 && secs <= 18 * 3600;
}

function isDateTime(v) {
  const m = DATETIME_RE.exec(v);
  return !!m && validDate(m[1], m[2], m[3]) && validTime(m[4], m[5], m[6]) && validOffset(m[7], m[8], m[9], m[10]);
}

function isDate(v) {
  const m = DATE_RE.exec(v);
  return !!m && validDate(m[1], m[2], m[3]) && validOffset(m[4], m[5], m[6], m[7]);
}

function isTime(v) {
  const m = TIME_RE.exec(v);
  return !!m && validTime(m[1], m[2], m[3]) && validOffset(m[4], m[5], m[6], m[7]);
}

function isJson(v) {
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}

const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

// A string scalar validated by `check`; `what` names it in AppSync's messages.
function stringScalar(check, what) {
  const accept = (v) => {
    if (typeof v !== 'string' || !check(v)) {
      throw new ScalarError(`Unable to parse \`${show(v)}\` as a valid ${what}.`);
    }
    return v;
  };
  return {
    parseValue: accept,
    parseLiteral(ast) {
      if (ast.kind !== Kind.STRING) throw new ScalarError(`Unable to parse literal as a valid ${what}.`);
      return accept(ast.value);
    },
    serialize(v) {
      if (typeof v !== 'string' || !check(v)) {
        throw new ScalarError(`Unable to serialize \`${show(v)}\` as a valid ${what}.`);
      }
      return v;
    },
  };
}

const jsonScalar = {
  ...stringScalar(isJson, 'JSON Object'),
  // A value loaded through /admin/load as a real object is sent as a string.
  serialize(v) {
    if (typeof v === 'string') return v;
    return JSON.stringify(v);
  },
};

// With `normaliseAwsJson`: what AppSync's re-serialisation gives (awsjson.js),
// also for items put as they were through /admin/load; text that does not
// parse (only /admin/load can store it) goes out as it is.
const normalisingJsonScalar = {
  ...jsonScalar,
  serialize(v) {
    const text = jsonScalar.serialize(v);
    try {
      return normaliseJson(text);
    } catch {
      return text;
    }
  },
};

const timestampScalar = {
  parseValue(v) {
    if (!Number.isInteger(v)) throw new ScalarError(`Unable to parse \`${show(v)}\` as a valid timestamp.`);
    return v;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new ScalarError('Unable to parse literal as a valid timestamp.');
    return Number(ast.value);
  },
  serialize(v) {
    if (!Number.isInteger(v)) throw new ScalarError(`Unable to serialize \`${show(v)}\` as a valid timestamp.`);
    return v;
  },
};

const isEmail = (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
const isUrl = (v) => {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(v) && !!new URL(v);
  } catch {
    return false;
  }
};
const isPhone = (v) => /^\+?[0-9][0-9 ()-]{3,}$/.test(v);
const isIp = (v) => {
  const [addr, prefix, extra] = v.split('/');
  if (extra !== undefined) return false;
  const kind = net.isIP(addr);
  if (!kind) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (kind === 4 ? 32 : 128);
};

const SCALARS = {
  AWSDateTime: stringScalar(isDateTime, 'DateTime Object'),
  AWSDate: stringScalar(isDate, 'Date Object'),
  AWSTime: stringScalar(isTime, 'Time Object'),
  AWSJSON: jsonScalar,
  AWSTimestamp: timestampScalar,
  AWSEmail: stringScalar(isEmail, 'Email'),
  AWSURL: stringScalar(isUrl, 'URL'),
  AWSPhone: stringScalar(isPhone, 'Phone'),
  AWSIPAddress: stringScalar(isIp, 'IP Address'),
};

// Install the implementations on the scalar types buildSchema created.
function installScalars(schema, { normaliseAwsJson = false } = {}) {
  const scalars = normaliseAwsJson ? { ...SCALARS, AWSJSON: normalisingJsonScalar } : SCALARS;
  for (const [name, impl] of Object.entries(scalars)) {
    const type = schema.getType(name);
    type.serialize = impl.serialize;
    type.parseValue = impl.parseValue;
    type.parseLiteral = impl.parseLiteral;
  }
}

module.exports = { PRELUDE, installScalars, ScalarError, isDateTime };
