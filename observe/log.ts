// Structured JSON logs, one line each. Callers pass identifiers and reasons, never request
// bodies, credentials or webhook URLs; anything shaped like one (an AWS error message echoing a
// request, say) is redacted from the line all the same.
import { redactText } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export const jsonLogger = (
  service: string,
  write: (line: string) => void = (line) => console.log(line),
): Logger => ({
  log(level, message, fields = {}) {
    write(redactText(JSON.stringify({ level, service, message, ...fields, time: new Date().toISOString() })));
  },
});

export const silentLogger: Logger = { log: () => {} };
