'use strict';
// AWSJSON as AppSync hands it back when `normaliseAwsJson` is on: AppSync
// stores the value as a DynamoDB map/list and serialises it again on the way
// out, so numbers come back normalised (1.0 -> 1, 1e2 -> 100; what JS's
// number parsing gives, so -0 -> 0), whitespace is gone and key order is not
// the sender's. We write keys sorted (by UTF-16 code units, at every level): a
// DynamoDB map keeps no order, and a fixed order unlike the sender's makes a
// client that compares AWSJSON as text fail every time, not by chance.

function normaliseJson(text) {
  return serialise(JSON.parse(text));
}

function serialise(value) {
  if (Array.isArray(value)) return `[${value.map(serialise).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${serialise(value[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

// The AWSJSON fields of `model` in `schema` (e.g. ScoringJob: metadata, errorDetails).
function awsJsonFields(schema, model) {
  const fields = schema.getType(model).getFields();
  return Object.keys(fields).filter((name) => fields[name].type.toString() === 'AWSJSON');
}

// A mutation input with its AWSJSON fields normalised (others untouched).
function normaliseInput(schema, model, input) {
  const out = { ...input };
  for (const name of awsJsonFields(schema, model)) {
    if (typeof out[name] === 'string') out[name] = normaliseJson(out[name]);
  }
  return out;
}

module.exports = { normaliseJson, normaliseInput };
