// The settings document a deployment runs with: the file named by the CDK context `settings`
// (`cdk deploy -c settings=path/to/settings.json`), else $GATEWATCH_SETTINGS_FILE, else gatewatch.config.json at the repository
// root when it exists, else the defaults (dry-run). It is validated at synth — a bad document
// fails synthesis naming the field — and baked into every function's bundle as the literal
// `process.env.GATEWATCH_SETTINGS` (esbuild `define`), where settings/load.ts reads it.
// Bundling rather than an environment variable: Lambda allows 4 KB of environment variables in
// all, which a list of exemptions outgrows, and the settings change only with a deployment.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { IConstruct } from 'constructs';
import {
  defaultSettings,
  readSettings,
  type Settings,
  SettingsError,
  settingsFileFromEnvironment,
} from '../settings/schema';

export { SettingsError } from '../settings/schema';

/** The repository root (this file is infra/settings.ts). */
const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_SETTINGS_FILE = path.join(ROOT, 'gatewatch.config.json');

/** Where the settings come from, for a given `settings` context value. */
export function settingsSource(contextValue: unknown): string | undefined {
  if (typeof contextValue === 'string' && contextValue.trim() !== '') return path.resolve(contextValue);
  const fromEnvironment = settingsFileFromEnvironment();
  if (fromEnvironment) return path.resolve(fromEnvironment);
  return existsSync(DEFAULT_SETTINGS_FILE) ? DEFAULT_SETTINGS_FILE : undefined;
}

const loaded = new WeakMap<IConstruct, { source: string | undefined; settings: Settings }>();

/**
 * The deployment's settings, read and validated once per app by the same parseSettings the CLI and
 * the functions use; throws a SettingsError naming the bad field.
 */
export function deploymentSettings(scope: IConstruct): { source: string | undefined; settings: Settings } {
  const root = scope.node.root;
  let found = loaded.get(root);
  if (!found) {
    const source = settingsSource(scope.node.tryGetContext('settings'));
    if (source && !existsSync(source)) {
      throw SettingsError.unreadable(`gatewatch settings: ${source} (context "settings") does not exist.`);
    }
    try {
      found = { source, settings: source ? readSettings(source) : defaultSettings };
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      throw new SettingsError(`gatewatch settings: ${error.message}`, error.problems);
    }
    loaded.set(root, found);
  }
  return found;
}

/** The esbuild `define` that bakes the settings into a function's bundle. */
export function settingsDefine(scope: IConstruct): Record<string, string> {
  const { settings } = deploymentSettings(scope);
  return { 'process.env.GATEWATCH_SETTINGS': JSON.stringify(JSON.stringify(settings)) };
}
