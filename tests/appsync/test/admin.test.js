'use strict';
// Admin API, --data preload, request log, loopback guard, clean shutdown.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { startServer, rawRequest, gqlBody, API_KEY, scoringJobInput } = require('../support/harness');

const item = (id, extra = {}) => ({
  id, __typename: 'ScoringJob', status: 'PENDING', itemId: 'i', accountId: 'a', scorecardId: 's',
  metadata: '{"k": [1, 2]}', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...extra,
});

test('admin API', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());

  await t.test('health', async () => {
    assert.deepEqual((await srv.admin('GET', '/admin/health')).body, { ok: true });
  });

  await t.test('load upserts as given, dump returns items exactly as stored, sorted by id', async () => {
    const r = await srv.admin('POST', '/admin/load', { ScoringJob: [item('b'), item('a')], BatchJobScoringJob: [] });
    assert.deepEqual(r.body, { ok: true, loaded: { ScoringJob: 2, BatchJobScoringJob: 0 } });
    await srv.admin('POST', '/admin/load', { ScoringJob: [item('a', { status: 'RUNNING' })] });
    const dump = (await srv.admin('GET', '/admin/dump')).body;
    assert.deepEqual(Object.keys(dump), ['ScoringJob', 'BatchJob', 'BatchJobScoringJob']);
    assert.deepEqual(dump.ScoringJob, [item('a', { status: 'RUNNING' }), item('b')]);
    const got = await srv.gql('{ getScoringJob(id: "b") { metadata createdAt } }');
    assert.deepEqual(got.body.data.getScoringJob, { metadata: '{"k": [1, 2]}', createdAt: '2026-01-01T00:00:00Z' });
    assert.equal((await srv.admin('POST', '/admin/load', { Nope: [] })).status, 400);
    assert.equal((await srv.admin('POST', '/admin/load', { ScoringJob: [{ status: 'x' }] })).status, 400);
  });

  await t.test('log records order, fields, ids, outcomes, refusals', async () => {
    await srv.admin('POST', '/admin/reset');
    await srv.gql('mutation Make($i: CreateScoringJobInput!) { createScoringJob(input: $i) { id } }',
      { i: scoringJobInput({ id: 'x1' }) }, { operationName: 'Make' });
    await srv.gql('{ getScoringJob(id: "x1") { id } listScoringJobByItemId(itemId: "item-1") { items { id } } }');
    await srv.gql('{ getScoringJob(id: "x1") { id } }', {}, { key: 'wrong' });
    await srv.gql('{ getScoringJob(id: "x1") { nope } }');
    const { requests: timed } = (await srv.admin('GET', '/admin/log')).body;
    const requests = timed.map(({ arrivedMs, answeredMs, ...rest }) => rest);
    assert.deepEqual(requests, [
      { seq: 1, operationName: 'Make', fields: [{ alias: 'createScoringJob', field: 'createScoringJob', id: 'x1', outcome: 'ok' }], status: 200, fault: null },
      {
        seq: 2,
        operationName: null,
        fields: [
          { alias: 'getScoringJob', field: 'getScoringJob', id: 'x1', outcome: 'ok' },
          { alias: 'listScoringJobByItemId', field: 'listScoringJobByItemId', id: 'item-1', outcome: 'ok' },
        ],
        status: 200,
        fault: null,
      },
      { seq: 3, operationName: null, fields: [{ alias: 'getScoringJob', field: 'getScoringJob', id: null, outcome: 'not-executed' }], status: 401, fault: null },
      { seq: 4, operationName: null, fields: [{ alias: 'getScoringJob', field: 'getScoringJob', id: null, outcome: 'not-executed' }], status: 200, fault: null },
    ]);
    // one request after the other: each answered after it arrived, before the next arrived
    let previous = 0;
    for (const { arrivedMs, answeredMs } of timed) {
      assert.ok(previous <= arrivedMs && arrivedMs <= answeredMs, JSON.stringify(timed));
      previous = answeredMs;
    }
  });

  await t.test('reset clears data, faults and the log', async () => {
    await srv.admin('POST', '/admin/faults', { mode: 'fail' });
    await srv.admin('POST', '/admin/reset');
    assert.deepEqual((await srv.admin('GET', '/admin/dump')).body, { ScoringJob: [], BatchJob: [], BatchJobScoringJob: [] });
    assert.deepEqual((await srv.admin('GET', '/admin/faults')).body, { faults: [] });
    assert.deepEqual((await srv.admin('GET', '/admin/log')).body, { requests: [] });
    assert.equal((await srv.gql('{ getScoringJob(id: "a") { id } }')).status, 200);
  });

  await t.test('unknown admin route -> 404', async () => {
    assert.equal((await srv.admin('GET', '/admin/nope')).status, 404);
  });
});

test('--data preloads items', async (t) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'appsync-')), 'data.json');
  fs.writeFileSync(file, JSON.stringify({ ScoringJob: [item('pre-1')], BatchJob: [], BatchJobScoringJob: [] }));
  const srv = await startServer({ args: ['--data', file] });
  t.after(() => srv.stop());
  const r = await srv.gql('{ getScoringJob(id: "pre-1") { id metadata } }');
  assert.deepEqual(r.body.data.getScoringJob, { id: 'pre-1', metadata: '{"k": [1, 2]}' });
});

test('admin refuses non-loopback clients', async (t) => {
  const external = Object.values(os.networkInterfaces()).flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!external) return t.skip('no non-loopback IPv4 address on this machine');
  const srv = await startServer({ args: ['--host', '0.0.0.0'] });
  t.after(() => srv.stop());
  const status = await new Promise((resolve, reject) => {
    http.get({ host: external.address, port: srv.port, path: '/admin/dump' }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
  assert.equal(status, 403);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`${signal} exits 0 even with open and hanging connections`, async () => {
    const srv = await startServer();
    await srv.admin('POST', '/admin/faults', { mode: 'hang' });
    const hanging = rawRequest(srv.url, { body: gqlBody('{ getScoringJob(id: "a") { id } }'), headers: { 'x-api-key': API_KEY }, timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    const { code, signal: sig } = await srv.stop(signal);
    assert.equal(code, 0);
    assert.equal(sig, null);
    const r = await hanging;
    assert.ok(r.error);
  });
}
