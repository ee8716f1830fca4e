// The recorded CloudTrail records and EventBridge events of ../shared/events, as they are. The
// config-* files are AWS Config rule invocations, not CloudTrail, and are left out.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const SHARED_EVENTS = path.join(__dirname, '../../../../shared/events');

export const recordedFiles: readonly string[] = readdirSync(SHARED_EVENTS)
  .filter((name) => name.endsWith('.json') && !name.startsWith('config-'))
  .sort();

export const loadRecorded = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(SHARED_EVENTS, name), 'utf8'));
