// The example settings (gatewatch.config.example.json) mark every value that is yours to give —
// a web ACL, a log group, addresses, a Slack channel, an API — with REPLACE-ME. A copy deployed
// unedited would attach a web ACL that does not exist or mail nobody, so reading it (synthesis,
// every CLI --settings) refuses it, naming each field still to edit.
import { SettingsError } from './error';

export const PLACEHOLDER = 'REPLACE-ME';

/** The paths (`notifications.emails.0`) of the string values that still hold the placeholder. */
export function placeholdersIn(value: unknown, at = ''): string[] {
  if (typeof value === 'string') return value.includes(PLACEHOLDER) ? [at || '(top level)'] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => placeholdersIn(item, at ? `${at}.${key}` : key));
}

/** Throws when a settings document read from `source` still holds placeholders. */
export function refusePlaceholders(json: unknown, source: string): void {
  const fields = placeholdersIn(json);
  if (fields.length > 0) {
    throw new SettingsError(
      `${source} still holds the example's ${PLACEHOLDER} values: give your own in ${fields.join(', ')} ` +
        '(or remove the fields you do not use).',
      fields.map((field) => ({ field, message: `still holds the example's ${PLACEHOLDER} value` })),
    );
  }
}
