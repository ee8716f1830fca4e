// The example settings (gatewatch.config.example.json) mark every value that is yours to give —
// a web ACL, a log group, addresses, a Slack channel, an API — with REPLACE-ME. A copy deployed
// unedited would attach a web ACL that does not exist or mail nobody, so synthesis refuses it,
// naming each field still to edit.
import { readFileSync } from 'node:fs';

export const PLACEHOLDER = 'REPLACE-ME';

/** The paths (`notifications.emails.0`) of the string values that still hold the placeholder. */
export function placeholdersIn(value: unknown, at = ''): string[] {
  if (typeof value === 'string') return value.includes(PLACEHOLDER) ? [at || '(top level)'] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => placeholdersIn(item, at ? `${at}.${key}` : key));
}

/** Throws when the settings file still holds placeholders; a file that is not JSON is left to the parser. */
export function refusePlaceholders(source: string): void {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(source, 'utf8'));
  } catch {
    return;
  }
  const fields = placeholdersIn(json);
  if (fields.length > 0) {
    throw new Error(
      `${source} still holds the example's ${PLACEHOLDER} values: give your own in ${fields.join(', ')} ` +
        '(or remove the fields you do not use).',
    );
  }
}
