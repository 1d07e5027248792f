'use strict';
// AppSync's response-size limit (`maxResponseBytes`). What real AppSync does
// over its ~1 MB limit is not documented; what clients report (e.g.
// awslabs/aws-mobile-appsync-sdk-js#124, aws-amplify/amplify-cli#9589) is a
// per-field MappingTemplate error, "Transformation too large", with the field
// null and HTTP 200. So: every top-level alias whose own value is over the cap
// gets that error; if the answer is still over (many aliases, each under it:
// an assumption, nothing documents this case), every remaining non-null alias
// gets it too. Resolvers have run by then: mutations stay applied.

const tooLarge = (alias, location) => ({
  path: [alias],
  data: null,
  errorType: 'MappingTemplate',
  errorInfo: null,
  locations: location ? [{ line: location.line, column: location.column, sourceName: null }] : null,
  message: 'Transformation too large',
});

const bytes = (value) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * @param body       the answer ({data, errors?})
 * @param maxBytes   the cap (null: none)
 * @param locations  alias -> {line, column} (execute.aliasLocations)
 * @returns {body, capped}: the answer to send and the aliases that were cut
 */
function capResponse(body, maxBytes, locations) {
  if (maxBytes === null || !body.data || bytes(body) <= maxBytes) return { body, capped: [] };
  const data = { ...body.data };
  const errors = [...(body.errors || [])];
  const capped = [];
  const cut = (alias) => {
    data[alias] = null;
    errors.push(tooLarge(alias, locations.get(alias)));
    capped.push(alias);
  };
  const aliases = Object.keys(data);
  for (const alias of aliases) {
    if (data[alias] !== null && bytes(data[alias]) > maxBytes) cut(alias);
  }
  if (bytes({ data, errors }) > maxBytes) {
    for (const alias of aliases) if (data[alias] !== null) cut(alias);
  }
  return { body: { data, errors }, capped };
}

module.exports = { capResponse };
