'use strict';
// Runs one GraphQL request with graphql-js and shapes the answer like AppSync
// (which runs graphql-java): validation and variable errors come back as
// HTTP 200 {"data":null,"errors":[...]} with graphql-java's wording, resolver
// errors carry top-level errorType/errorInfo/data instead of `extensions`.

const fs = require('node:fs');
const path = require('node:path');
const { buildASTSchema, parse, validate, execute, getLocation, GraphQLError, Kind } = require('graphql');
const { PRELUDE, installScalars } = require('./scalars');
const { installResolvers } = require('./resolvers');
const { validationError, coercionError, executionError, syntaxError } = require('./wording');
const { fieldsToDrop, withoutFields } = require('./drift');

const SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

let contractSdl = null;
function contractDocument() {
  if (!contractSdl) contractSdl = parse(PRELUDE + fs.readFileSync(SCHEMA_FILE, 'utf8'));
  return contractSdl;
}

// The executable schema: the contract, or with `dropFields` (see drift.js)
// removed, AWSJSON normalised on output with `normaliseAwsJson` (awsjson.js).
// Throws SettingsError for a drop list that does not fit the contract.
function loadSchema({ dropFields = [], normaliseAwsJson = false } = {}) {
  const document = contractDocument();
  const drops = dropFields.length ? fieldsToDrop(buildASTSchema(document), dropFields) : new Set();
  const schema = buildASTSchema(withoutFields(document, drops));
  installScalars(schema, { normaliseAwsJson });
  installResolvers(schema, drops);
  return schema;
}

// ---------------------------------------------------------------- documents

// Top-level fields of the operation that would run (for fault matching and
// the request log), without validating anything.
function describeDocument(document, operationName) {
  const op = selectedOperation(document, operationName);
  if (!op) return { operation: null, fields: [] };
  const fields = topLevelFields(op).map((sel) => ({ alias: aliasOf(sel), field: sel.name.value }));
  return { operation: op.operation, name: op.name ? op.name.value : null, fields };
}

function selectedOperation(document, operationName) {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (operationName ? ops.find((o) => o.name && o.name.value === operationName) : ops[0]) || null;
}

const topLevelFields = (op) => op.selectionSet.selections.filter((sel) => sel.kind === Kind.FIELD);
const aliasOf = (sel) => (sel.alias ? sel.alias.value : sel.name.value);

// alias -> where its field starts ({line, column}), for the operation that runs.
function aliasLocations(document, operationName) {
  const op = selectedOperation(document, operationName);
  const out = new Map();
  for (const sel of op ? topLevelFields(op) : []) {
    if (!out.has(aliasOf(sel))) out.set(aliasOf(sel), getLocation(document.loc.source, sel.loc.start));
  }
  return out;
}

// ------------------------------------------------------------------ runner

/**
 * Execute a parsed request body. Returns {status, body} where body is the
 * JSON object to send.
 */
function runGraphQL(schema, document, body, contextValue) {
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) {
    return {
      status: 200,
      body: {
        data: null,
        errors: validationErrors.map((e) => validationError(e, document)),
      },
    };
  }
  const result = execute({
    schema,
    document,
    variableValues: body.variables || {},
    operationName: body.operationName || undefined,
    contextValue,
  });
  if (typeof result.then === 'function') throw new Error('resolvers must be synchronous');
  if (!('data' in result)) {
    // Variable coercion or operation selection failed: nothing ran.
    return {
      status: 200,
      body: { data: null, errors: result.errors.map(coercionError) },
    };
  }
  const out = { data: result.data };
  if (result.errors && result.errors.length) out.errors = result.errors.map((e) => executionError(e, schema));
  return { status: 200, body: out };
}

function parseDocument(query) {
  try {
    return { document: parse(query) };
  } catch (err) {
    if (err instanceof GraphQLError) return { error: syntaxError(err, query) };
    throw err;
  }
}

module.exports = { loadSchema, parseDocument, describeDocument, aliasLocations, runGraphQL };
