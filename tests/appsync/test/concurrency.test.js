'use strict';
// Concurrency: the `rate-limit` token bucket, `delay` rules that hold some
// requests longer than others, and many keep-alive connections at once.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer, rawRequest, gqlBody, API_KEY, scoringJobInput } = require('../support/harness');

const KEY = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
const GET = gqlBody('{ getScoringJob(id: "x") { id } }');
const CREATE = 'mutation Create($input: CreateScoringJobInput!) { createScoringJob(input: $input) { id itemId } }';

// POST /graphql through `agent`; resolves with the status, the parsed body and
// which local port (so which connection) carried it.
function post(url, agent, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...KEY, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), port: req.socket.localPort,
      }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The most requests of `entries` that were in flight at the same moment.
function maxInFlight(entries) {
  const events = entries.flatMap((e) => [[e.arrivedMs, 1], [e.answeredMs, -1]]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an answer at the same instant ends first
  let now = 0;
  let most = 0;
  for (const [, delta] of events) {
    now += delta;
    most = Math.max(most, now);
  }
  return most;
}

test('concurrency', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const fault = async (rule) => {
    const r = await srv.admin('POST', '/admin/faults', rule);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.fault;
  };
  const log = async () => (await srv.admin('GET', '/admin/log')).body.requests;
  t.beforeEach(async () => {
    await srv.admin('DELETE', '/admin/faults');
    await srv.admin('DELETE', '/admin/log');
  });

  await t.test('rate-limit: a burst passes, the rest get 429 ThrottlingException with Retry-After; the log says which', async () => {
    // ~no refill during the test: exactly `burst` requests pass
    const rule = await fault({ mode: 'rate-limit', perSecond: 0.001, burst: 3, retryAfter: 2 });
    assert.deepEqual([rule.status, rule.burst, rule.errorType], [429, 3, 'ThrottlingException']);
    const answers = await Promise.all(Array.from({ length: 10 }, () => rawRequest(srv.url, { body: GET, headers: KEY })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    for (const a of answers.filter((x) => x.status === 429)) {
      assert.deepEqual(JSON.parse(a.body), { errors: [{ errorType: 'ThrottlingException', message: 'Rate exceeded' }] });
      assert.equal(a.headers['retry-after'], '2');
    }
    const entries = await log();
    assert.equal(entries.filter((e) => e.fault === 'rate-limit' && e.status === 429).length, 7);
    assert.equal(entries.filter((e) => e.fault === null && e.status === 200).length, 3);
    for (const e of entries.filter((x) => x.fault === 'rate-limit')) assert.deepEqual(e.fields.map((f) => f.outcome), ['not-executed']);
    assert.equal((await srv.admin('GET', '/admin/faults')).body.faults[0].hits, 7);
  });

  await t.test('rate-limit: the bucket refills at perSecond', async () => {
    await fault({ mode: 'rate-limit', perSecond: 1, burst: 1 });
    assert.equal((await rawRequest(srv.url, { body: GET, headers: KEY })).status, 200); // the only token
    assert.equal((await rawRequest(srv.url, { body: GET, headers: KEY })).status, 429); // none left
    // within a bounded time the bucket has a token again
    let status = 429;
    for (let i = 0; i < 200 && status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await rawRequest(srv.url, { body: GET, headers: KEY })).status;
    }
    assert.equal(status, 200);
  });

  await t.test('rate-limit: match and count; a request within the rate goes on to the next rules', async () => {
    await fault({ mode: 'rate-limit', perSecond: 0.001, burst: 1, match: '^getScoringJob$', count: 1 });
    await fault({ mode: 'fail', status: 500, match: '^getScoringJob$', count: 1 });
    const first = await rawRequest(srv.url, { body: GET, headers: KEY }); // takes the token, meets the fail rule
    assert.equal(first.status, 500);
    const second = await rawRequest(srv.url, { body: GET, headers: KEY }); // bucket empty: throttled (count 1)
    assert.equal(second.status, 429);
    assert.equal(second.headers['retry-after'], undefined);
    const third = await rawRequest(srv.url, { body: GET, headers: KEY }); // count used up
    assert.equal(third.status, 200);
    const other = await srv.gql('{ listScoringJobs { items { id } } }'); // not matched: never throttled
    assert.equal(other.status, 200);
  });

  await t.test('rate-limit: bad rules are refused', async () => {
    for (const [rule, re] of [
      [{ mode: 'rate-limit' }, /^rate-limit needs perSecond, a number > 0, got undefined/],
      [{ mode: 'rate-limit', perSecond: 0 }, /got 0/],
      [{ mode: 'rate-limit', perSecond: 1, burst: 0 }, /^burst must be an integer >= 1/],
    ]) {
      const r = await srv.admin('POST', '/admin/faults', rule);
      assert.equal(r.status, 400);
      assert.match(r.body.error, re);
    }
  });

  await t.test('delay with match holds some requests longer than others', async () => {
    await fault({ mode: 'delay', delayMs: 2000, match: '^Slow$' });
    await fault({ mode: 'delay', delayMs: 0, match: '^Fast$' });
    const slow = rawRequest(srv.url, { body: gqlBody('query Slow { getScoringJob(id: "s") { id } }', {}, 'Slow'), headers: KEY });
    let entries = [];
    for (let i = 0; i < 200 && entries.length === 0; i++) { // wait (bounded) until Slow has arrived
      await new Promise((resolve) => setTimeout(resolve, 5));
      entries = await log();
    }
    const fast = await rawRequest(srv.url, { body: gqlBody('query Fast { getScoringJob(id: "f") { id } }', {}, 'Fast'), headers: KEY });
    assert.equal(fast.status, 200);
    assert.equal((await slow).status, 200);
    const [s, f] = await log();
    assert.deepEqual([s.operationName, f.operationName], ['Slow', 'Fast']);
    // Fast arrived after Slow and was answered before it: both were in flight at once
    assert.ok(s.arrivedMs < f.arrivedMs && f.answeredMs < s.answeredMs, JSON.stringify([s, f]));
    assert.ok(s.answeredMs - s.arrivedMs >= 1999);
    assert.equal(maxInFlight([s, f]), 2);
  });

  await t.test('32 concurrent keep-alive connections, two rounds: every answer is its own', async (st) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    st.after(() => agent.destroy());
    await fault({ mode: 'delay', delayMs: 300, match: '^Create$' });
    const round = (r) => Promise.all(Array.from({ length: 32 }, (_, i) => {
      const id = `c-${r}-${i}`;
      return post(srv.url, agent, gqlBody(CREATE, { input: scoringJobInput({ id, itemId: `item-${id}` }) }, 'Create'))
        .then((answer) => ({ id, ...answer }));
    }));
    const first = await round(1);
    const second = await round(2);
    for (const a of [...first, ...second]) {
      assert.equal(a.status, 200);
      assert.deepEqual(a.body, { data: { createScoringJob: { id: a.id, itemId: `item-${a.id}` } } });
    }
    const ports = new Set(first.map((a) => a.port));
    assert.equal(ports.size, 32); // 32 connections at once
    assert.deepEqual(new Set(second.map((a) => a.port)), ports); // and the second round reused them
    const stored = (await srv.admin('GET', '/admin/dump')).body.ScoringJob.map((i) => i.id);
    for (const a of [...first, ...second]) assert.ok(stored.includes(a.id), a.id);
    const entries = await log();
    assert.equal(entries.length, 64);
    assert.ok(entries.every((e) => e.status === 200 && e.answeredMs >= e.arrivedMs + 299));
    assert.ok(maxInFlight(entries) > 1, 'requests overlapped');
    assert.ok(maxInFlight(entries) <= 32, 'never more than the 32 connections');
  });
});
