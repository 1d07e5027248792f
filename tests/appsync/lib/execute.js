'use strict';
// Runs one GraphQL request with graphql-js and shapes the answer like AppSync
// (which runs graphql-java): validation and variable errors come back as
// HTTP 200 {"data":null,"errors":[...]} with graphql-java's wording, resolver
// errors carry top-level errorType/errorInfo/data instead of `extensions`.

const fs = require('node:fs');
const path = require('node:path');
const { buildSchema, parse, validate, execute, GraphQLError, Kind, getNamedType } = require('graphql');
const { PRELUDE, installScalars } = require('./scalars');
const { installResolvers } = require('./resolvers');
const { AppSyncError } = require('./errors');

const SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

function loadSchema() {
  const schema = buildSchema(PRELUDE + fs.readFileSync(SCHEMA_FILE, 'utf8'));
  installScalars(schema);
  installResolvers(schema);
  return schema;
}

const loc = (l) => ({ line: l.line, column: l.column, sourceName: null });

// ---------------------------------------------------------------- documents

// Top-level fields of the operation that would run (for fault matching and
// the request log), without validating anything.
function describeDocument(document, operationName) {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name && o.name.value === operationName) : ops[0];
  if (!op) return { operation: null, fields: [] };
  const fields = [];
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    fields.push({ alias: sel.alias ? sel.alias.value : sel.name.value, field: sel.name.value });
  }
  return { operation: op.operation, name: op.name ? op.name.value : null, fields };
}

// graphql-java reports where a validation error sits as "@ 'a/b/c'" (field
// names from the operation root); find the innermost field around `at`.
function fieldPathAt(document, at) {
  if (!at) return null;
  const contains = (node) => node.loc && node.loc.start <= at && at < node.loc.end;
  let best = null;
  const walk = (selectionSet, trail) => {
    if (!selectionSet) return;
    for (const sel of selectionSet.selections) {
      if (!contains(sel)) continue;
      if (sel.kind === Kind.FIELD) {
        const next = [...trail, sel.name.value];
        best = next;
        walk(sel.selectionSet, next);
      } else {
        walk(sel.selectionSet, trail);
      }
    }
  };
  for (const def of document.definitions) {
    if (contains(def) && def.selectionSet) walk(def.selectionSet, []);
  }
  return best && best.join('/');
}

// ------------------------------------------------------- validation errors

const VALIDATION_RULES = [
  [/^Cannot query field "(.+?)" on type "(.+?)"\./, (m) => ['FieldUndefined', `Field '${m[1]}' in type '${m[2]}' is undefined`]],
  [/^Unknown argument "(.+?)" on field "(.+?)"\./, (m) => ['UnknownArgument', `Unknown field argument ${m[1]}`]],
  [/^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\./,
    (m) => ['MissingFieldArgument', `Missing field argument ${m[2]}`]],
  [/^Field "(.+?)" of type "(.+?)" must have a selection of subfields/,
    (m) => ['SubSelectionRequired', `Sub selection required for type ${m[2]} of field ${m[1]}`]],
  [/^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\./,
    (m) => ['SubSelectionNotAllowed', `Sub selection not allowed on leaf type ${m[2]} of field ${m[1]}`]],
  [/^Variable "\$(.+?)" is never used/, (m) => ['UnusedVariable', `Unused variable ${m[1]}`], false],
  [/^Variable "\$(.+?)" is not defined/, (m) => ['UndefinedVariable', `Undefined variable ${m[1]}`]],
  [/^Variable "\$(.+?)" of type "(.+?)" used in position expecting type "(.+?)"\./,
    (m) => ['VariableTypeMismatch', `Variable type '${m[2]}' doesn't match expected type '${m[3]}'`]],
  [/^Unknown type "(.+?)"\./, (m) => ['UnknownType', `Unknown type ${m[1]}`], false],
  [/^Unknown directive "@(.+?)"\./, (m) => ['UnknownDirective', `Unknown directive ${m[1]}`]],
  [/^Unknown fragment "(.+?)"\./, (m) => ['UndefinedFragment', `Undefined fragment ${m[1]}`]],
  [/^There can be only one operation named "(.+?)"\./, (m) => ['DuplicateOperationName', `There can be only one operation named ${m[1]}`], false],
  [/^This anonymous operation must be the only defined operation\./,
    () => ['LoneAnonymousOperationViolation', 'Anonymous operation with other operations.'], false],
  [/^There can be only one variable named "\$(.+?)"\./, (m) => ['DuplicateVariableName', `There can be only one variable named ${m[1]}`], false],
  [/^Variable "\$(.+?)" cannot be non-input type "(.+?)"\./, (m) => ['NonInputTypeOnVariable', `Input variable ${m[1]} type ${m[2]} is not an input type`], false],
  [/^Fragment "(.+?)" is never used\./, (m) => ['UnusedFragment', `Unused fragment ${m[1]}`], false],
  [/^(Expected value of type|Field ".+?" of required type|Field ".+?" is not defined by type|.+ cannot represent)/,
    (m, e) => ['WrongType', e.message]],
];

function validationMessage(error, document) {
  for (const [re, build, withPath = true] of VALIDATION_RULES) {
    const m = re.exec(error.message);
    if (!m) continue;
    const [kind, text] = build(m, error);
    const at = withPath ? fieldPathAt(document, error.nodes && error.nodes[0] && error.nodes[0].loc && error.nodes[0].loc.start) : null;
    return `Validation error of type ${kind}: ${text}${at ? ` @ '${at}'` : ''}`;
  }
  return `Validation error of type InvalidSyntax: ${error.message}`;
}

function requestLevelError(message, locations) {
  return { path: null, locations: locations ? locations.map(loc) : null, message };
}

// ------------------------------------------------ variable coercion errors

// A scalar's own AppSync wording, however deep graphql-js wrapped it.
function appsyncMessageOf(error) {
  for (let e = error; e; e = e.originalError) {
    if (e.appsyncMessage) return e.appsyncMessage;
  }
  return null;
}

function coercionMessage(error) {
  const msg = error.message;
  const v = (/^Variable "\$([^"]+)"/.exec(msg) || [])[1];
  if (!v) return msg;
  let m = /^Variable "\$[^"]+" of (?:required|non-null) type "(.+?)" (?:was not provided|must not be null)\./.exec(msg);
  if (m) return `Variable '${v}' has coerced Null value for NonNull type '${m[1]}'`;
  const detail = msg.slice(msg.indexOf('; ') + 2);
  m = /^Field "(.+?)" of required type "(.+?)" was not provided\./.exec(detail) ||
    /^Expected non-nullable type "(.+?)"() not to be null\./.exec(detail);
  if (m) return `Variable '${v}' has coerced Null value for NonNull type '${m[2] || m[1]}'`;
  m = /^Field "(.+?)" is not defined by type "(.+?)"\./.exec(detail);
  if (m) {
    return `Variable '${v}' has an invalid value. The variables input contains a field name '${m[1]}' ` +
      `that is not defined for input object type '${m[2]}'`;
  }
  const scalar = appsyncMessageOf(error);
  return `Variable '${v}' has an invalid value. ${scalar || detail}`;
}

// --------------------------------------------------- execution error shape

function formatExecutionError(error, schema) {
  const original = error.originalError;
  const locations = error.locations ? error.locations.map(loc) : null;
  const pathList = error.path || null;
  if (original instanceof AppSyncError) {
    return {
      path: pathList, data: null, errorType: original.errorType, errorInfo: null, locations, message: original.message,
    };
  }
  const slashPath = pathList ? `/${pathList.join('/')}` : '';
  let m = /^Cannot return null for non-nullable field (.+?)\.(.+?)\.$/.exec(error.message);
  if (m) {
    const field = schema.getType(m[1]).getFields()[m[2]];
    const typeName = getNamedType(field.type).name;
    return {
      path: pathList,
      locations,
      message: `Cannot return null for non-nullable type: '${typeName}' within parent '${m[1]}' (${slashPath})`,
    };
  }
  if (appsyncMessageOf(error)) {
    return { path: pathList, locations: null, message: `Can't serialize value (${slashPath}) : ${appsyncMessageOf(error)}` };
  }
  m = /^(Int|Float|String|Boolean|ID) cannot represent/.exec(error.message);
  if (m) return { path: pathList, locations: null, message: `Can't serialize value (${slashPath}) : ${error.message}` };
  return {
    path: pathList, data: null, errorType: 'InternalFailure', errorInfo: null, locations,
    message: error.message,
  };
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
        errors: validationErrors.map((e) => requestLevelError(validationMessage(e, document), e.locations)),
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
      body: { data: null, errors: result.errors.map((e) => requestLevelError(coercionMessage(e), e.locations)) },
    };
  }
  const out = { data: result.data };
  if (result.errors && result.errors.length) out.errors = result.errors.map((e) => formatExecutionError(e, schema));
  return { status: 200, body: out };
}

// graphql-java's wording for a document that does not parse.
function syntaxError(error, query) {
  const l = error.locations && error.locations[0];
  if (!l) return requestLevelError(`Invalid Syntax : ${error.message}`, null);
  const line = query.split('\n')[l.line - 1] || '';
  const token = (line.slice(l.column - 1).match(/^\S+?(?=[\s{}(),:]|$)|^\S/) || ['<EOF>'])[0];
  return requestLevelError(`Invalid Syntax : offending token '${token}' at line ${l.line} column ${l.column}`, [l]);
}

function parseDocument(query) {
  try {
    return { document: parse(query) };
  } catch (err) {
    if (err instanceof GraphQLError) return { error: syntaxError(err, query) };
    throw err;
  }
}

module.exports = { loadSchema, parseDocument, describeDocument, runGraphQL };
