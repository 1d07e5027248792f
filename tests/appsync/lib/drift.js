'use strict';
// Schema drift: the contract with some fields removed, as if the API had been
// deployed without them (an older or newer stack, a wrong environment). A
// model's field also leaves the input types Amplify derives from the model.

const { isObjectType, isInputObjectType } = require('graphql');
const { MODEL_NAMES } = require('./models');
const { SettingsError } = require('./settings');

const NAME = /^([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)$/;

const derivedInputs = (model) => [
  `Create${model}Input`, `Update${model}Input`, `Model${model}FilterInput`, `Model${model}ConditionInput`,
  `ModelSubscription${model}FilterInput`,
];

// The "Type.field" names to remove from `contract` (a built schema) for the
// setting's `names`; refuses a name that is not a field of an object or input type.
function fieldsToDrop(contract, names) {
  const drops = new Set();
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) throw new SettingsError(`dropFields: ${JSON.stringify(name)} is not "Type.field"`);
    const [, typeName, field] = m;
    const type = contract.getType(typeName);
    if (!type || !(isObjectType(type) || isInputObjectType(type))) {
      throw new SettingsError(`dropFields: ${JSON.stringify(name)}: the schema has no object or input type ${typeName}`);
    }
    if (!type.getFields()[field]) {
      throw new SettingsError(`dropFields: ${JSON.stringify(name)}: type ${typeName} has no field ${field}`);
    }
    drops.add(name);
    if (!MODEL_NAMES.includes(typeName)) continue;
    for (const input of derivedInputs(typeName)) {
      const inputType = contract.getType(input);
      if (inputType && inputType.getFields()[field]) drops.add(`${input}.${field}`);
    }
  }
  return drops;
}

// The SDL document without the dropped fields; refuses to leave a type empty.
function withoutFields(document, drops) {
  if (drops.size === 0) return document;
  const definitions = document.definitions.map((def) => {
    if (!def.fields || !def.name) return def;
    const fields = def.fields.filter((f) => !drops.has(`${def.name.value}.${f.name.value}`));
    if (fields.length === def.fields.length) return def;
    if (fields.length === 0) throw new SettingsError(`dropFields would leave type ${def.name.value} without fields`);
    return { ...def, fields };
  });
  return { ...document, definitions };
}

module.exports = { fieldsToDrop, withoutFields };
