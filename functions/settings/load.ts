// The settings a deployed function runs with. The CDK app validates the settings document at
// synth and bakes it into each function's bundle as the literal `process.env.GATEWATCH_SETTINGS`
// (esbuild `define`: no 4 KB environment limit, and the settings change only with a deployment).
// Tests and local runs may set the environment variable instead; without either, the defaults.
import { defaultSettings, parseSettings, type Settings } from './schema';

let cached: Settings | undefined;

/**
 * The deployment's settings, parsed once. A document that does not parse throws: a function
 * must not run with settings nobody wrote (synth validated it, so this means a broken bundle).
 */
export function loadSettings(): Settings {
  cached ??= settingsFrom(process.env.GATEWATCH_SETTINGS);
  return cached;
}

/** Parses the JSON text of a settings document; `undefined` or empty gives the defaults. */
export function settingsFrom(text: string | undefined): Settings {
  if (text === undefined || text.trim() === '') return defaultSettings;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`GATEWATCH_SETTINGS is not JSON: ${(error as Error).message}`);
  }
  return parseSettings(json, 'The bundled settings (GATEWATCH_SETTINGS)');
}

/** Forgets the parsed settings (tests). */
export function resetSettingsCache(): void {
  cached = undefined;
}
