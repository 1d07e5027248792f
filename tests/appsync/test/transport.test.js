'use strict';
// Transport behaviour: API key, malformed bodies, request ids, validation
// and variable errors, gzip.

const test = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { startServer, rawRequest, gqlBody, API_KEY, scoringJobInput } = require('../support/harness');

test('transport', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());

  await t.test('wrong API key -> 401 UnauthorizedException', async () => {
    const r = await srv.gql('{ getScoringJob(id: "x") { id } }', {}, { key: 'nope' });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, {
      errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
    });
  });

  await t.test('missing API key -> 401 with its own message', async () => {
    const r = await srv.gql('{ getScoringJob(id: "x") { id } }', {}, { key: null });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, {
      errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
    });
  });

  await t.test('body that is not JSON -> 400 MalformedHttpRequestException', async () => {
    const r = await srv.raw('meow', { 'x-api-key': API_KEY });
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.text).errors[0].errorType, 'MalformedHttpRequestException');
    const empty = await srv.raw('', { 'x-api-key': API_KEY });
    assert.equal(empty.status, 400);
    assert.equal(JSON.parse(empty.text).errors[0].message, 'Request body is empty.');
    const noQuery = await srv.raw('{}', { 'x-api-key': API_KEY });
    assert.equal(noQuery.status, 400);
  });

  await t.test('every response carries x-amzn-RequestId', async () => {
    const ok = await srv.gql('{ getScoringJob(id: "x") { id } }');
    const bad = await srv.gql('{ getScoringJob(id: "x") { id } }', {}, { key: 'nope' });
    const admin = await fetch(`${srv.base}/admin/health`);
    for (const h of [ok.headers, bad.headers, admin.headers]) {
      assert.match(h.get('x-amzn-requestid'), /^[0-9a-f-]{36}$/);
    }
    assert.notEqual(ok.headers.get('x-amzn-requestid'), bad.headers.get('x-amzn-requestid'));
  });

  await t.test('validation error -> 200, data null, graphql-java wording', async () => {
    const r = await srv.gql('query Q {\n  getScoringJob(id: "x") { id nope }\n}');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      data: null,
      errors: [{
        path: null,
        locations: [{ line: 2, column: 31, sourceName: null }],
        message: "Validation error of type FieldUndefined: Field 'nope' in type 'ScoringJob' is undefined @ 'getScoringJob/nope'",
      }],
    });
    const missingArg = await srv.gql('{ getScoringJob { id } }');
    assert.match(missingArg.body.errors[0].message, /^Validation error of type MissingFieldArgument: Missing field argument id/);
  });

  await t.test('variable errors -> 200, data null, nothing executed', async () => {
    const r = await srv.gql('query Q($id: ID!) { getScoringJob(id: $id) { id } }', {});
    assert.equal(r.status, 200);
    assert.equal(r.body.data, null);
    assert.equal(r.body.errors[0].message, "Variable 'id' has coerced Null value for NonNull type 'ID!'");
    assert.equal(r.body.errors[0].path, null);
    const unknown = await srv.gql(
      'mutation M($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id } }',
      { input: scoringJobInput({ batchId: 'b' }) },
    );
    assert.match(unknown.body.errors[0].message, /^Variable 'input' has an invalid value\. .*'batchId'/);
    const dump = await srv.admin('GET', '/admin/dump');
    assert.equal(dump.body.ScoringJob.length, 0);
  });

  await t.test('syntax error -> 200 Invalid Syntax', async () => {
    const r = await srv.gql('{ getScoringJob(id: "x") { id ');
    assert.equal(r.status, 200);
    assert.equal(r.body.data, null);
    assert.match(r.body.errors[0].message, /^Invalid Syntax/);
  });

  await t.test('gzip for large responses when asked', async () => {
    await srv.admin('POST', '/admin/load', {
      ScoringJob: Array.from({ length: 30 }, (_, i) => ({ id: `gz-${i}`, __typename: 'ScoringJob', ...scoringJobInput() })),
    });
    const q = gqlBody('{ listScoringJobs { items { id status itemId accountId scorecardId } } }');
    const gz = await rawRequest(srv.url, { body: q, headers: { 'x-api-key': API_KEY, 'accept-encoding': 'gzip' } });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(JSON.parse(zlib.gunzipSync(gz.body)).data.listScoringJobs.items.length, 30);
    const plain = await rawRequest(srv.url, { body: q, headers: { 'x-api-key': API_KEY } });
    assert.equal(plain.headers['content-encoding'], undefined);
    const small = await rawRequest(srv.url, {
      body: gqlBody('{ getScoringJob(id: "gz-1") { id } }'),
      headers: { 'x-api-key': API_KEY, 'accept-encoding': 'gzip' },
    });
    assert.equal(small.headers['content-encoding'], undefined);
  });

  await t.test('oversized request body -> 413', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024 + 10);
    const r = await rawRequest(srv.url, { body: big, headers: { 'x-api-key': API_KEY } });
    assert.equal(r.status, 413);
  });
});
