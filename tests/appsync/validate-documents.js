'use strict';
// Checks GraphQL documents against the contract schema, built exactly as the
// local server builds it (schema.graphql plus AppSync's scalars and directives).
//
//   node tests/appsync/validate-documents.js < documents.jsonl
//
// stdin: one JSON object per line, {"name": "...", "query": "...", "variables": {...}};
// `variables` is optional and, when given, must coerce to the operation's
// variable types. Exit 0 when every document is valid; otherwise exit 1 with
// one line per invalid document on stderr, naming it.

const fs = require('node:fs');
const { parse, validate, getVariableValues, Kind } = require('graphql');
const { loadSchema } = require('./lib/execute');

// The problems of one entry, as messages (none: valid).
function problemsOf(schema, entry) {
  if (typeof entry.query !== 'string') return ['no string "query"'];
  let document;
  try {
    document = parse(entry.query);
  } catch (err) {
    return [`syntax: ${err.message}`];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return invalid.map((e) => e.message);
  if (entry.variables === undefined || entry.variables === null) return [];
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return ['variables given for a document without exactly one operation'];
  const coerced = getVariableValues(schema, operations[0].variableDefinitions || [], entry.variables);
  return (coerced.errors || []).map((e) => `variables: ${e.message}`);
}

function main() {
  const schema = loadSchema();
  const lines = fs.readFileSync(0, 'utf8').split('\n').filter((line) => line.trim() !== '');
  let failed = 0;
  lines.forEach((line, index) => {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch (err) {
      entry = { name: `line ${index + 1}`, query: null, unreadable: err.message };
    }
    const name = entry.name || `line ${index + 1}`;
    const problems = entry.unreadable ? [`not JSON: ${entry.unreadable}`] : problemsOf(schema, entry);
    for (const problem of problems) process.stderr.write(`invalid: ${name}: ${problem}\n`);
    if (problems.length > 0) failed += 1;
  });
  if (lines.length === 0) {
    process.stderr.write('no documents on stdin\n');
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${lines.length - failed} of ${lines.length} documents valid\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
