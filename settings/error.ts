// A settings document that cannot mean what it says. One error type for every reader — `cdk synth`
// (infra/settings.ts), the CLI's `--settings` (exit 2, one line) and the functions at start-up —
// carrying the path of each bad field (`exemptions.0.expires`), so callers can name it without
// parsing the message. It is a ValidationError, which every edge already turns into a clear refusal.
import { ValidationError } from '../rules/core/validation';

export interface SettingsProblem {
  /** The field's path in the document, dot-separated (`regions.1`); `(top level)` for the document itself. */
  readonly field: string;
  readonly message: string;
}

export class SettingsError extends ValidationError {
  /** The first bad field (every one is in `problems` and in the message). */
  readonly field: string;
  readonly problems: readonly SettingsProblem[];

  constructor(message: string, problems: readonly SettingsProblem[]) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'SettingsError' });
    this.problems = problems;
    this.field = problems[0]?.field ?? '(top level)';
  }

  /** "The settings document is invalid: field: problem; other.field: problem" */
  static invalid(what: string, problems: readonly SettingsProblem[]): SettingsError {
    const list = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
    return new SettingsError(`${what} is invalid: ${list}`, problems);
  }

  /** A document that could not be read at all (a missing file, not JSON). */
  static unreadable(message: string): SettingsError {
    return new SettingsError(message, [{ field: '(top level)', message }]);
  }
}
