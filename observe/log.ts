// Structured JSON logs, one line each, written by Powertools' Logger in the functions. Callers pass
// identifiers and reasons, never request bodies, credentials or webhook URLs; anything shaped
// like one (an AWS error message echoing a request, say) is redacted from the line all the same:
// every string of the line, the message and a logged error's stack included, passes redactText.
import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redactText } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** The seam the pipeline logs through. */
export interface Logger {
  log(level: Level, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Redacts every string Powertools writes; its own rules (errors, BigInt, cycles) apply after. */
export const redactingReplacer = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? redactText(value) : value;

/**
 * gatewatch's line: `level` (lower case), `service`, `message`, the caller's fields, `time` — as
 * before Powertools, so saved Logs Insights queries keep working — and, in Lambda, the request id,
 * function name, cold start and X-Ray trace id Powertools takes from the context.
 */
class GatewatchLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const lambda = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel.toLowerCase(),
        service: attributes.serviceName,
        message: attributes.message,
        ...(lambda
          ? { requestId: lambda.awsRequestId, functionName: lambda.functionName, coldStart: lambda.coldStart }
          : {}),
        ...(attributes.xRayTraceId ? { xrayTraceId: attributes.xRayTraceId } : {}),
      },
    })
      .addAttributes(additional)
      .addAttributes({ time: this.formatTimestamp(attributes.timestamp) });
  }
}

/**
 * Powertools' Logger, each line written through `write`: stdout in Lambda (unprefixed, as
 * Powertools' own console writes it; warnings and errors included, so one stream holds the
 * invocation in order), a buffer in tests.
 */
class WritingLogger extends PowertoolsLogger {
  constructor(
    options: ConstructorParameters<typeof PowertoolsLogger>[0],
    private readonly write: (line: string) => void,
  ) {
    super(options);
  }

  protected override printLog(...[, log]: Parameters<PowertoolsLogger['printLog']>): void {
    log.prepareForPrint();
    this.write(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}

/**
 * A function's logger. The level comes from POWERTOOLS_LOG_LEVEL (the stack sets it); a line
 * carries the Lambda request id once `addContext` is given the invocation's context, and the id
 * of the event being handled while `handling` runs.
 */
export class LambdaLogger implements Logger {
  readonly powertools: PowertoolsLogger;

  constructor(service: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.powertools = new WritingLogger(
      { serviceName: service, jsonReplacerFn: redactingReplacer, logFormatter: new GatewatchLogFormatter() },
      write,
    );
  }

  log(level: Level, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.powertools[level](message, fields);
  }

  /** Starts an invocation: its request id on every line, the last invocation's keys gone. */
  addContext(context: Parameters<PowertoolsLogger['addContext']>[0] | undefined): void {
    this.powertools.resetKeys();
    if (context) this.powertools.addContext(context);
  }

  /** Runs `work` with `key: id` on every line it logs (a CloudTrail event id, an SQS message id…). */
  async handling<T>(key: string, id: string, work: () => Promise<T>): Promise<T> {
    this.powertools.appendKeys({ [key]: id });
    try {
      return await work();
    } finally {
      this.powertools.removeKeys([key]);
    }
  }
}

/** A plain JSON logger for processes that are not Lambda functions (the CLI's settings loader). */
export const jsonLogger = (
  service: string,
  write: (line: string) => void = (line) => console.log(line),
): Logger => ({
  log(level, message, fields = {}) {
    write(redactText(JSON.stringify({ level, service, message, ...fields, time: new Date().toISOString() })));
  },
});

export const silentLogger: Logger = { log: () => {} };
