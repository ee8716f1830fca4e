// The suite judges with the defaults unless a test names its settings: a gatewatch.config.json
// kept in the clone (as the README's deployment steps create) must not change what a test sees.
// Tests of the default lookup itself delete the variable for their duration.
const path = require('node:path');

process.env.GATEWATCH_SETTINGS_FILE = path.join(
  __dirname,
  '..',
  '..',
  'examples',
  'settings',
  'default.json',
);
