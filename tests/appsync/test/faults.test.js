'use strict';
// Every fault mode of /admin/faults, seen from a client on the wire.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rawRequest, gqlBody, API_KEY, scoringJobInput } = require('../support/harness');

const CREATE = 'mutation Create($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id status } }';
const createBody = (id) => gqlBody(CREATE, { input: scoringJobInput({ id }) }, 'Create');
const KEY = { 'x-api-key': API_KEY, 'content-type': 'application/json' };

test('faults', async (t) => {
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

  await t.test('fail: default 503, 500 InternalFailure, count, Retry-After', async () => {
    await fault({ mode: 'fail', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('f1'), headers: KEY });
    assert.equal(r.status, 503);
    assert.equal(JSON.parse(r.body).errors[0].errorType, 'ServiceUnavailable');
    assert.equal(await stored('f1'), false);
    const after = await rawRequest(srv.url, { body: createBody('f1'), headers: KEY });
    assert.equal(after.status, 200);
    await fault({ mode: 'fail', status: 500, retryAfter: 3 });
    const r500 = await rawRequest(srv.url, { body: createBody('f2'), headers: KEY });
    assert.equal(r500.status, 500);
    assert.deepEqual(JSON.parse(r500.body), { errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }] });
    assert.equal(r500.headers['retry-after'], '3');
    assert.ok(r500.headers['x-amzn-requestid']);
    const log = await lastLog();
    assert.equal(log.status, 500);
    assert.equal(log.fault, 'fail');
    assert.deepEqual(log.fields.map((f) => f.outcome), ['not-executed']);
  });

  await t.test('throttle: 429 ThrottlingException with Retry-After', async () => {
    await fault({ mode: 'throttle', count: 2, retryAfter: 1 });
    for (let i = 0; i < 2; i++) {
      const r = await rawRequest(srv.url, { body: createBody('t1'), headers: KEY });
      assert.equal(r.status, 429);
      assert.deepEqual(JSON.parse(r.body), { errors: [{ errorType: 'ThrottlingException', message: 'Rate exceeded' }] });
      assert.equal(r.headers['retry-after'], '1');
    }
    assert.equal((await rawRequest(srv.url, { body: createBody('t1'), headers: KEY })).status, 200);
    const list = (await srv.admin('GET', '/admin/faults')).body.faults;
    assert.equal(list.length, 1);
    assert.equal(list[0].remaining, 0);
    assert.equal(list[0].hits, 2);
  });

  await t.test('match: only requests whose operationName or field matches', async () => {
    await fault({ mode: 'fail', status: 502, match: '^updateScoringJob$' });
    const create = await rawRequest(srv.url, { body: createBody('m1'), headers: KEY });
    assert.equal(create.status, 200);
    const upd = await srv.gql('mutation { updateScoringJob(input: {id: "m1", status: "X"}) { id } }');
    assert.equal(upd.status, 502);
    await srv.admin('DELETE', '/admin/faults');
    await fault({ mode: 'throttle', match: 'Create' });
    assert.equal((await rawRequest(srv.url, { body: createBody('m2'), headers: KEY })).status, 429);
    assert.equal((await srv.gql('{ getScoringJob(id: "m1") { id } }')).status, 200);
  });

  await t.test('drop: connection closed before anything runs', async () => {
    await fault({ mode: 'drop', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('d1'), headers: KEY });
    assert.ok(r.error);
    assert.equal(r.status, null);
    assert.equal(await stored('d1'), false);
    assert.equal((await lastLog()).fault, 'drop');
  });

  await t.test('drop-response: mutation applied, no answer, retry sees ConditionalCheckFailed', async () => {
    await fault({ mode: 'drop-response', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('dr1'), headers: KEY });
    assert.ok(r.error);
    assert.equal(r.status, null);
    assert.equal(await stored('dr1'), true);
    const log = await lastLog();
    assert.equal(log.fault, 'drop-response');
    assert.deepEqual(log.fields.map((f) => [f.id, f.outcome]), [['dr1', 'ok']]);
    const retry = await rawRequest(srv.url, { body: createBody('dr1'), headers: KEY });
    assert.equal(JSON.parse(retry.body).errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
  });

  await t.test('delay: waits, then answers normally', async () => {
    await fault({ mode: 'delay', delayMs: 300, count: 1 });
    const start = Date.now();
    const r = await rawRequest(srv.url, { body: createBody('dl1'), headers: KEY });
    assert.ok(Date.now() - start >= 290);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).data.createScoringJob.id, 'dl1');
  });

  await t.test('hang: never answers until the client gives up; nothing runs', async () => {
    await fault({ mode: 'hang', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('h1'), headers: KEY, timeoutMs: 300 });
    assert.equal(r.status, null);
    assert.match(r.error.message, /client timeout/);
    assert.equal(await stored('h1'), false);
    assert.equal((await srv.admin('GET', '/admin/health')).body.ok, true);
  });

  await t.test('trickle: a valid body, one byte per interval', async () => {
    await fault({ mode: 'trickle', intervalMs: 3, count: 1 });
    const start = Date.now();
    const r = await rawRequest(srv.url, { body: createBody('tr1'), headers: KEY });
    const body = JSON.parse(r.body);
    assert.equal(r.status, 200);
    assert.equal(body.data.createScoringJob.id, 'tr1');
    assert.ok(Date.now() - start >= r.body.length * 2, `${Date.now() - start}ms for ${r.body.length} bytes`);
  });

  await t.test('reset-mid-body: headers and half the body, then reset', async () => {
    await fault({ mode: 'reset-mid-body', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('rb1'), headers: KEY });
    assert.equal(r.status, 200);
    assert.ok(r.error);
    assert.ok(r.body.length > 0 && r.body.length < Number(r.headers['content-length']));
    assert.equal(await stored('rb1'), true);
  });

  await t.test('garbage: 200 with a body that is not JSON', async () => {
    await fault({ mode: 'garbage', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('g1'), headers: KEY });
    assert.equal(r.status, 200);
    assert.throws(() => JSON.parse(r.body));
  });

  await t.test('truncate: 200 with the real body cut in half', async () => {
    await fault({ mode: 'truncate', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('tc1'), headers: KEY });
    assert.equal(r.status, 200);
    assert.equal(r.error, null);
    assert.throws(() => JSON.parse(r.body));
    assert.ok(r.body.toString().startsWith('{"data":{"createScoringJob":{'));
    assert.equal(await stored('tc1'), true);
  });

  await t.test('oversize: valid JSON of the requested size (default 2 MiB)', async () => {
    await fault({ mode: 'oversize', count: 1 });
    const r = await rawRequest(srv.url, { body: createBody('o1'), headers: KEY });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 2 * 1024 * 1024);
    assert.equal(JSON.parse(r.body).data.createScoringJob.id, 'o1');
    await fault({ mode: 'oversize', bytes: 5000, count: 1 });
    const small = await rawRequest(srv.url, { body: gqlBody('{ getScoringJob(id: "o1") { id } }'), headers: KEY });
    assert.equal(small.body.length, 5000);
  });

  await t.test('reject: only the matching aliases fail, the rest run', async () => {
    await fault({ mode: 'reject', matchInput: 'poison' });
    const doc = `mutation Two($a: CreateScoringJobInput!, $b: CreateScoringJobInput!) {
  m1: createScoringJob(input: $a) { id }
  m2: createScoringJob(input: $b) { id }
}`;
    const r = await srv.gql(doc, { a: scoringJobInput({ id: 'poison-1' }), b: scoringJobInput({ id: 'fine-1' }) });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data, { m1: null, m2: { id: 'fine-1' } });
    assert.deepEqual(r.body.errors[0].path, ['m1']);
    assert.equal(r.body.errors[0].errorType, 'DynamoDB:DynamoDbException');
    assert.equal(await stored('poison-1'), false);
    assert.equal(await stored('fine-1'), true);
    const log = await lastLog();
    assert.equal(log.fault, 'reject');
    assert.deepEqual(log.fields.map((f) => f.outcome), ['DynamoDB:DynamoDbException', 'ok']);

    await srv.admin('DELETE', '/admin/faults');
    await fault({ mode: 'reject', matchInput: '"status":"RUNNING"', errorType: 'Custom:Boom', message: 'nope', count: 1 });
    const u1 = await srv.gql('mutation { updateScoringJob(input: {id: "fine-1", status: "RUNNING"}) { id } }');
    assert.deepEqual(u1.body.errors[0].errorType, 'Custom:Boom');
    assert.deepEqual(u1.body.errors[0].message, 'nope');
    const u2 = await srv.gql('mutation { updateScoringJob(input: {id: "fine-1", status: "RUNNING"}) { id status } }');
    assert.equal(u2.body.data.updateScoringJob.status, 'RUNNING');
  });

  await t.test('DELETE clears rules; bad rules are refused', async () => {
    await fault({ mode: 'fail' });
    await srv.admin('DELETE', '/admin/faults');
    assert.deepEqual((await srv.admin('GET', '/admin/faults')).body.faults, []);
    assert.equal((await srv.gql('{ getScoringJob(id: "x") { id } }')).status, 200);
    assert.equal((await srv.admin('POST', '/admin/faults', { mode: 'explode' })).status, 400);
    assert.equal((await srv.admin('POST', '/admin/faults', { mode: 'fail', match: '(' })).status, 400);
    assert.equal((await srv.admin('POST', '/admin/faults', { mode: 'reject' })).status, 400);
  });
});
