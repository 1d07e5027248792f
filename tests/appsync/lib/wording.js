'use strict';
// AppSync runs graphql-java; clients see its wording. This maps graphql-js
// errors (validation, variable coercion, execution) to that wording and to
// AppSync's error object shapes.

const { Kind, getNamedType } = require('graphql');
const { AppSyncError } = require('./errors');

const loc = (l) => ({ line: l.line, column: l.column, sourceName: null });

function requestLevelError(message, locations) {
  return { path: null, locations: locations ? locations.map(loc) : null, message };
}

// ------------------------------------------------------------ AST helpers

// graphql-java reports where a validation error sits as "@ 'a/b/c'" (field
// names from the operation root); find the innermost field around `at`.
function fieldPathAt(document, at) {
  if (at === undefined || at === null) return null;
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

function pathOfNodes(document, nodes) {
  for (const node of nodes || []) {
    const p = node.loc && fieldPathAt(document, node.loc.start);
    if (p) return p;
  }
  return null;
}

// Find an argument value node (or an object field node) in the document and
// return the dotted argument path graphql-java prints ('input.createdAt').
function locateInArguments(document, target) {
  let found = null;
  const visitValue = (value, trail, parent) => {
    if (found) return;
    if (value === target) found = { path: trail, value, parent };
    if (value.kind === Kind.OBJECT) {
      for (const f of value.fields) {
        if (f === target) found = { path: trail, value, objectField: f };
        visitValue(f.value, `${trail}.${f.name.value}`, value);
      }
    } else if (value.kind === Kind.LIST) {
      value.values.forEach((v, i) => visitValue(v, `${trail}[${i}]`, value));
    }
  };
  const visitSelections = (selectionSet) => {
    if (!selectionSet) return;
    for (const sel of selectionSet.selections) {
      for (const arg of sel.arguments || []) visitValue(arg.value, arg.name.value, null);
      visitSelections(sel.selectionSet);
    }
  };
  for (const def of document.definitions) visitSelections(def.selectionSet);
  return found;
}

// graphql-java's AST toString, as it appears in its WrongType messages.
function javaValue(v) {
  switch (v.kind) {
    case Kind.STRING: return `StringValue{value='${v.value}'}`;
    case Kind.INT: return `IntValue{value=${v.value}}`;
    case Kind.FLOAT: return `FloatValue{value=${v.value}}`;
    case Kind.BOOLEAN: return `BooleanValue{value=${v.value}}`;
    case Kind.NULL: return 'NullValue{}';
    case Kind.ENUM: return `EnumValue{name='${v.value}'}`;
    case Kind.VARIABLE: return `VariableReference{name='${v.name.value}'}`;
    case Kind.LIST: return `ArrayValue{values=[${v.values.map(javaValue).join(', ')}]}`;
    case Kind.OBJECT:
      return `ObjectValue{objectFields=[${v.fields
        .map((f) => `ObjectField{name='${f.name.value}', value=${javaValue(f.value)}}`).join(', ')}]}`;
    default: return String(v.kind);
  }
}

// WrongType for literal argument values, worded like graphql-java.
function wrongTypeText(error, document) {
  const node = error.nodes && error.nodes[0];
  const hit = node && locateInArguments(document, node);
  if (!hit) return error.message;
  let m = /^Field "(.+?)" is not defined by type "(.+?)"\./.exec(error.message);
  if (m && hit.objectField) {
    return `argument '${hit.path}' with value '${javaValue(hit.value)}' contains a field not in '${m[2]}': '${m[1]}'`;
  }
  m = /^Field "(?:.+?)\.(.+?)" of required type "(.+?)" was not provided\./.exec(error.message);
  if (m) return `argument '${hit.path}' with value '${javaValue(hit.value)}' is missing required fields '[${m[1]}]'`;
  m = /^Expected value of type "(.+?)"/.exec(error.message) || /^(\w+) cannot represent/.exec(error.message);
  const type = m ? m[1].replace(/!$/, '') : null;
  if (type) return `argument '${hit.path}' with value '${javaValue(hit.value)}' is not a valid '${type}'`;
  return `argument '${hit.path}' with value '${javaValue(hit.value)}' is not valid: ${error.message}`;
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
    (m, e, doc) => ['WrongType', wrongTypeText(e, doc)]],
];

function validationError(error, document) {
  let message = `Validation error of type InvalidSyntax: ${error.message}`;
  for (const [re, build, withPath = true] of VALIDATION_RULES) {
    const m = re.exec(error.message);
    if (!m) continue;
    const [kind, text] = build(m, error, document);
    const at = withPath ? pathOfNodes(document, error.nodes) : null;
    message = `Validation error of type ${kind}: ${text}${at ? ` @ '${at}'` : ''}`;
    break;
  }
  return requestLevelError(message, error.locations);
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
  if (!v) return msg.replace(/"/g, "'");
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
  return `Variable '${v}' has an invalid value. ${appsyncMessageOf(error) || detail}`;
}

function coercionError(error) {
  return requestLevelError(coercionMessage(error), error.locations);
}

// --------------------------------------------------- execution error shape

function executionError(error, schema) {
  const original = error.originalError;
  const locations = error.locations ? error.locations.map(loc) : null;
  const pathList = error.path || null;
  if (original instanceof AppSyncError) {
    return {
      path: pathList, data: null, errorType: original.errorType, errorInfo: null, locations, message: original.message,
    };
  }
  const slashPath = pathList ? `/${pathList.join('/')}` : '';
  const m = /^Cannot return null for non-nullable field (.+?)\.(.+?)\.$/.exec(error.message);
  if (m) {
    const field = schema.getType(m[1]).getFields()[m[2]];
    return {
      path: pathList,
      locations,
      message: `Cannot return null for non-nullable type: '${getNamedType(field.type).name}' within parent '${m[1]}' (${slashPath})`,
    };
  }
  const scalar = appsyncMessageOf(error) || (/^(Int|Float|String|Boolean|ID) cannot represent/.test(error.message) && error.message);
  if (scalar) return { path: pathList, locations: null, message: `Can't serialize value (${slashPath}) : ${scalar}` };
  return { path: pathList, data: null, errorType: 'InternalFailure', errorInfo: null, locations, message: error.message };
}

// graphql-java's wording for a document that does not parse.
function syntaxError(error, query) {
  const l = error.locations && error.locations[0];
  if (!l) return requestLevelError(`Invalid Syntax : ${error.message}`, null);
  const line = query.split('\n')[l.line - 1] || '';
  const token = (line.slice(l.column - 1).match(/^\S+?(?=[\s{}(),:]|$)|^\S/) || ['<EOF>'])[0];
  return requestLevelError(`Invalid Syntax : offending token '${token}' at line ${l.line} column ${l.column}`, [l]);
}

module.exports = { validationError, coercionError, executionError, syntaxError };
