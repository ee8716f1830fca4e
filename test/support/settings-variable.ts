// For the tests of the default settings lookup: the suite sets GATEWATCH_SETTINGS_FILE
// (test/support/hermetic-settings.js); these tests take it away for their duration.
import { SETTINGS_FILE_VARIABLE } from '../../settings/schema';

export function withoutSettingsVariable(): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[SETTINGS_FILE_VARIABLE];
    delete process.env[SETTINGS_FILE_VARIABLE];
  });
  afterEach(() => {
    if (saved !== undefined) process.env[SETTINGS_FILE_VARIABLE] = saved;
  });
}
