'use strict';
// Server-wide behaviour switches set through /admin/settings (schema drift,
// eventually consistent reads, AWSJSON re-serialisation, a response-size
// cap). The defaults reproduce the server as it is without them.

const DEFAULTS = Object.freeze({
  dropFields: [],
  staleReadMs: 0,
  staleRead: 'previous',
  normaliseAwsJson: false,
  maxResponseBytes: null,
});

class SettingsError extends Error {}

const show = (v) => JSON.stringify(v);

// One checker per setting: returns the value to store or throws SettingsError.
const CHECKS = {
  dropFields(v) {
    if (!Array.isArray(v) || !v.every((n) => typeof n === 'string')) {
      throw new SettingsError(`dropFields must be an array of "Type.field" strings, got ${show(v)}`);
    }
    return [...new Set(v)];
  },
  staleReadMs(v) {
    if (!Number.isInteger(v) || v < 0) throw new SettingsError(`staleReadMs must be an integer >= 0, got ${show(v)}`);
    return v;
  },
  staleRead(v) {
    if (v !== 'previous' && v !== 'absent') {
      throw new SettingsError(`staleRead must be "previous" or "absent", got ${show(v)}`);
    }
    return v;
  },
  normaliseAwsJson(v) {
    if (typeof v !== 'boolean') throw new SettingsError(`normaliseAwsJson must be true or false, got ${show(v)}`);
    return v;
  },
  maxResponseBytes(v) {
    if (!Number.isInteger(v) || v < 1) {
      throw new SettingsError(`maxResponseBytes must be an integer >= 1 (or null: no cap), got ${show(v)}`);
    }
    return v;
  },
};

class Settings {
  constructor() {
    this.reset();
  }

  reset() {
    this.values = structuredClone(DEFAULTS);
  }

  // The settings `body` would give (given keys replace, `null` restores a
  // default, the rest stay), without applying them.
  merged(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SettingsError('body must be a JSON object');
    const next = structuredClone(this.values);
    for (const [key, value] of Object.entries(body)) {
      if (!(key in CHECKS)) {
        throw new SettingsError(`unknown setting ${show(key)}; known: ${Object.keys(CHECKS).join(', ')}`);
      }
      next[key] = value === null ? structuredClone(DEFAULTS[key]) : CHECKS[key](value);
    }
    return next;
  }

  apply(values) {
    this.values = values;
  }
}

module.exports = { Settings, SettingsError, DEFAULTS };
