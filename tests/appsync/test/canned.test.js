'use strict';
// Canned answers that are not AppSync's own: `respond` (a proxy's page, a
// wrong environment's reply), `null-fields` and `empty-data`.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rawRequest, gqlBody, API_KEY, scoringJobInput } = require('../support/harness');

const CREATE = 'mutation Create($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id status } }';
const createBody = (id) => gqlBody(CREATE, { input: scoringJobInput({ id }) }, 'Create');
const KEY = { 'x-api-key': API_KEY, 'content-type': 'application/json' };

const PROXY_400 = '<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n' +
  '<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const JAVA_VALIDATION = JSON.stringify({
  data: null,
  errors: [{
    message: "Validation error of type FieldUndefined: Field 'metadata' in type 'ScoringJob' is undefined @ 'getScoringJob/metadata'",
    locations: [{ line: 1, column: 30 }],
    extensions: { classification: 'ValidationError' },
  }],
});

test('canned answers', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const fault = async (rule) => {
    const r = await srv.admin('POST', '/admin/faults', rule);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.fault;
  };
  const stored = async (id) => (await srv.admin('GET', '/admin/dump')).body.ScoringJob.some((i) => i.id === id);
  const lastLog = async () => (await srv.admin('GET', '/admin/log')).body.requests.at(-1);
  t.beforeEach(() => srv.admin('DELETE', '/admin/faults'));

  await t.test("respond: a proxy's HTML 400, exactly as given; nothing runs", async () => {
    const rule = await fault({
      mode: 'respond', status: 400, body: PROXY_400, headers: { 'Content-Type': 'text/html', Server: 'nginx' }, count: 1,
    });
    assert.deepEqual([rule.status, rule.execute], [400, false]);
    const r = await rawRequest(srv.url, { body: createBody('c1'), headers: KEY });
    assert.equal(r.status, 400);
    assert.equal(r.body.toString('utf8'), PROXY_400);
    assert.equal(r.headers['content-type'], 'text/html');
    assert.equal(r.headers.server, 'nginx');
    assert.equal(Number(r.headers['content-length']), Buffer.byteLength(PROXY_400));
    assert.match(r.headers['x-amzn-requestid'], /^[0-9a-f-]{36}$/);
    assert.equal(await stored('c1'), false);
    const log = await lastLog();
    assert.deepEqual([log.fault, log.status], ['respond', 400]);
    assert.deepEqual(log.fields.map((f) => f.outcome), ['not-executed']);
    // count 1: the next request is answered normally
    assert.equal((await rawRequest(srv.url, { body: createBody('c1'), headers: KEY })).status, 200);
  });

  await t.test('respond: default status 200 and JSON content type, e.g. {"data":{}}', async () => {
    await fault({ mode: 'respond', body: '{"data":{}}', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('c2'), headers: KEY });
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), '{"data":{}}');
    assert.match(r.headers['content-type'], /^application\/json/);
    assert.equal(await stored('c2'), false);
  });

  await t.test('respond: 200 with data null and a graphql-java ValidationError; body never gzipped', async () => {
    await fault({ mode: 'respond', body: JAVA_VALIDATION, match: '^getScoringJob$' });
    const r = await rawRequest(srv.url, {
      body: gqlBody('{ getScoringJob(id: "x") { id } }'), headers: { ...KEY, 'accept-encoding': 'gzip' },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(r.body.toString(), JAVA_VALIDATION);
    // match: other documents are answered normally
    assert.equal((await rawRequest(srv.url, { body: createBody('c3'), headers: KEY })).status, 200);
    assert.equal(await stored('c3'), true);
  });

  await t.test('respond: headers may replace x-amzn-RequestId', async () => {
    await fault({ mode: 'respond', body: 'x', headers: { 'X-Amzn-RequestId': 'canned-id' }, count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('c4'), headers: KEY });
    assert.equal(r.headers['x-amzn-requestid'], 'canned-id');
  });

  await t.test('respond with execute: the mutation is applied, the answer is the canned one', async () => {
    await fault({ mode: 'respond', status: 502, body: 'Bad Gateway', execute: true, count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('c5'), headers: KEY });
    assert.equal(r.status, 502);
    assert.equal(r.body.toString(), 'Bad Gateway');
    assert.equal(await stored('c5'), true);
    const log = await lastLog();
    assert.deepEqual([log.fault, log.status], ['respond', 502]);
    assert.deepEqual(log.fields.map((f) => [f.id, f.outcome]), [['c5', 'ok']]);
  });

  await t.test('respond: bad rules are refused with the field named', async () => {
    const bad = async (rule, re) => {
      const r = await srv.admin('POST', '/admin/faults', { mode: 'respond', ...rule });
      assert.equal(r.status, 400);
      assert.match(r.body.error, re);
    };
    await bad({ body: { data: {} } }, /^body must be a string/);
    await bad({ status: 700 }, /^status must be an integer 200\.\.599/);
    await bad({ headers: ['x'] }, /^headers must be an object/);
    await bad({ headers: { 'Bad Name': 'x' } }, /^header "Bad Name"/);
    await bad({ headers: { 'X-A': 1 } }, /^header "X-A" must have a string value/);
    await bad({ headers: { 'Content-Length': '3' } }, /set by the server/);
    await bad({ execute: 'yes' }, /^execute must be true or false/);
    assert.deepEqual((await srv.admin('GET', '/admin/faults')).body.faults, []);
  });

  await t.test('null-fields: 200, every top-level alias null, no errors, nothing runs', async () => {
    await fault({ mode: 'null-fields', count: 1 });
    const doc = `mutation Two($a: CreateScoringJobInput!, $b: CreateScoringJobInput!) {
  m1: createScoringJob(input: $a) { id }
  m2: createScoringJob(input: $b) { id }
  __typename
}`;
    const r = await srv.gql(doc, { a: scoringJobInput({ id: 'n1' }), b: scoringJobInput({ id: 'n2' }) });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { data: { m1: null, m2: null, __typename: null } });
    assert.equal(await stored('n1'), false);
    assert.equal(await stored('n2'), false);
    const log = await lastLog();
    assert.deepEqual([log.fault, log.status], ['null-fields', 200]);
  });

  await t.test('empty-data: 200 {"data":{}}, nothing runs', async () => {
    await fault({ mode: 'empty-data', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('e1'), headers: KEY });
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), '{"data":{}}');
    assert.equal(await stored('e1'), false);
    assert.equal((await lastLog()).fault, 'empty-data');
  });
});
