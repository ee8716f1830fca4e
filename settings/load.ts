// The settings a deployed function runs with. The CDK app validates the settings document at
// synth and bakes it into each function's bundle as the literal `process.env.GATEWATCH_SETTINGS`
// (esbuild `define`: no 4 KB environment limit, and the settings change only with a deployment).
// Tests and local runs may set the environment variable instead; without either, the defaults.
//
// A bundled document that does not validate means a broken build (synth validated it with the
// same parseSettings). Inside Lambda it is read when the module loads, so the function fails at
// init with one log line naming the field — `gatewatch cannot start: …` — before it touches a
// record: every invocation then fails whole (Lambda's Errors metric and the function's errors
// alarm fire), queue messages go back and, after their retries, to the dead-letter queue, kept
// for a redrive once a good deployment is out. Nothing runs with settings nobody wrote, and no
// record is judged, failed and logged one by one.
import { jsonLogger, type Logger } from '../observe/log';
import { defaultSettings, parseSettings, type Settings, SettingsError } from './schema';

const WHAT = 'The bundled settings (GATEWATCH_SETTINGS)';

let cached:
  | { readonly text: string | undefined; readonly settings?: Settings; readonly error?: Error }
  | undefined;

/**
 * The deployment's settings, parsed once per document. A document that does not parse throws
 * the same SettingsError on every call, logged once.
 */
export function loadSettings(
  logger: Logger = jsonLogger('settings', (line) => console.error(line)),
): Settings {
  const text = process.env.GATEWATCH_SETTINGS;
  if (cached === undefined || cached.text !== text) {
    try {
      cached = { text, settings: settingsFrom(text) };
    } catch (error) {
      cached = { text, error: error as Error };
      logger.log('error', `gatewatch cannot start: ${(error as Error).message}`, {
        errorType: (error as Error).name,
        ...(error instanceof SettingsError ? { field: error.field } : {}),
      });
    }
  }
  if (cached.error) throw cached.error;
  return cached.settings as Settings;
}

/** Parses the JSON text of a settings document; `undefined` or empty gives the defaults. */
export function settingsFrom(text: string | undefined): Settings {
  if (text === undefined || text.trim() === '') return defaultSettings;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw SettingsError.unreadable(`${WHAT} is not JSON: ${(error as Error).message}`);
  }
  return parseSettings(json, WHAT);
}

/** Forgets the parsed settings (tests). */
export function resetSettingsCache(): void {
  cached = undefined;
}

// In Lambda, at init: a bad bundled document stops the function before its first record.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) loadSettings();
