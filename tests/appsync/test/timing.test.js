'use strict';
// /admin/log request times: when each request arrived and when its answer was
// sent (ms since server start), so tests can tell what was in flight at once.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rawRequest, gqlBody, API_KEY } = require('../support/harness');

const KEY = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
const GET = gqlBody('{ getScoringJob(id: "x") { id } }');

test('request times in the log', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const log = async () => (await srv.admin('GET', '/admin/log')).body.requests;
  t.beforeEach(async () => {
    await srv.admin('DELETE', '/admin/faults');
    await srv.admin('DELETE', '/admin/log');
  });

  await t.test('arrivedMs and answeredMs: ms since start, in order, answered after arrival', async () => {
    const before = await log();
    assert.deepEqual(before, []);
    for (let i = 0; i < 3; i++) assert.equal((await rawRequest(srv.url, { body: GET, headers: KEY })).status, 200);
    const entries = await log();
    assert.equal(entries.length, 3);
    for (let i = 0; i < 3; i++) {
      const { arrivedMs, answeredMs } = entries[i];
      assert.equal(typeof arrivedMs, 'number');
      assert.ok(arrivedMs >= 0 && arrivedMs <= answeredMs, JSON.stringify(entries[i]));
      if (i > 0) assert.ok(entries[i - 1].answeredMs <= arrivedMs, 'sequential requests never overlap');
    }
  });

  await t.test('a delayed answer is sent at least delayMs after arrival', async () => {
    await srv.admin('POST', '/admin/faults', { mode: 'delay', delayMs: 200, count: 1 });
    await rawRequest(srv.url, { body: GET, headers: KEY });
    const [entry] = await log();
    assert.ok(entry.answeredMs - entry.arrivedMs >= 199, JSON.stringify(entry));
  });

  await t.test('answeredMs stays null when no complete answer was sent', async () => {
    await srv.admin('POST', '/admin/faults', { mode: 'drop', count: 1 });
    await srv.admin('POST', '/admin/faults', { mode: 'reset-mid-body', count: 1 });
    await srv.admin('POST', '/admin/faults', { mode: 'hang', count: 1 });
    await rawRequest(srv.url, { body: GET, headers: KEY });
    await rawRequest(srv.url, { body: GET, headers: KEY });
    await rawRequest(srv.url, { body: GET, headers: KEY, timeoutMs: 200 });
    const entries = await log();
    assert.deepEqual(entries.map((e) => [e.fault, e.answeredMs]), [['drop', null], ['reset-mid-body', null], ['hang', null]]);
    for (const e of entries) assert.equal(typeof e.arrivedMs, 'number');
  });

  await t.test('a delayed answer whose client has gone is not sent', async () => {
    await srv.admin('POST', '/admin/faults', { mode: 'delay', delayMs: 1000, count: 1 });
    const r = await rawRequest(srv.url, { body: GET, headers: KEY, timeoutMs: 50 });
    assert.match(r.error.message, /client timeout/);
    let entry = null;
    for (let i = 0; i < 250 && !(entry && entry.status !== null); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      [entry] = await log();
    }
    assert.equal(entry.status, 200); // it ran, and the server would have answered 200
    assert.equal(entry.answeredMs, null);
  });
});
