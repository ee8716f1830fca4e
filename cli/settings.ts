// The settings document a CLI command applies: `--settings FILE`, else $GATEWATCH_SETTINGS_FILE,
// else gatewatch.config.json in
// the current directory (where `cdk synth` and `cdk deploy` read it when run from the clone's
// root, infra/settings.ts), else the defaults: what the deployed functions would apply.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ValidationError } from '../rules/core/validation';
import {
  defaultSettings,
  readSettings,
  type Settings,
  settingsFileFromEnvironment,
} from '../settings/schema';
import { UsageError } from './args';

export const SETTINGS_FILE = 'gatewatch.config.json';

/** The settings and the file they came from (null: the defaults); a bad file is a usage error naming the field. */
export function cliSettings(
  command: string,
  flag: string | undefined,
): { settings: Settings; source: string | null } {
  const source =
    flag ?? settingsFileFromEnvironment() ?? (existsSync(SETTINGS_FILE) ? SETTINGS_FILE : undefined);
  if (!source) return { settings: defaultSettings, source: null };
  if (!existsSync(source))
    throw new UsageError(`gatewatch ${command}: settings file ${source} does not exist.`, 'file');
  try {
    return { settings: readSettings(resolve(source)), source };
  } catch (error) {
    if (error instanceof ValidationError)
      throw new UsageError(`gatewatch ${command}: ${error.message}`, 'input');
    throw error;
  }
}
