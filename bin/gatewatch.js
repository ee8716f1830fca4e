#!/usr/bin/env node
// The command runs the TypeScript sources through tsx, so `npx gatewatch` works straight
// after `npm ci` with no build step.

// The SDK warns on every run under Node 20 that its 2027 releases will need Node 22; the
// lockfile keeps a release that supports Node 20, so the warning is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../cli/main.ts').runFromProcess();
