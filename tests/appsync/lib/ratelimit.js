'use strict';
// The token bucket behind the `rate-limit` fault: AppSync meters requests per
// second with a burst allowance. Starts full; refills continuously.

const { now } = require('./clock');

class TokenBucket {
  constructor(perSecond, burst) {
    this.perMs = perSecond / 1000;
    this.capacity = burst;
    this.tokens = burst;
    this.at = now();
  }

  // Takes one token if there is one; false means "throttle this request".
  take() {
    const t = now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.at) * this.perMs);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

module.exports = { TokenBucket };
