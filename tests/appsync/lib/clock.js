'use strict';
// One monotonic clock (ms, fractional) for everything timed by the server:
// stale reads, the rate limiter, request log times. Wall-clock jumps never
// change what a test sees.

const { performance } = require('node:perf_hooks');

const now = () => performance.now();

module.exports = { now };
