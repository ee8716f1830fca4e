#!/usr/bin/env node
// The command runs the TypeScript sources through tsx, so `npx gatewatch` works straight
// after `npm ci` with no build step.
require('tsx/cjs');
require('../cli/main.ts').runFromProcess();
