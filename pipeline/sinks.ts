// Sinks with no AWS behind them: the functions log every verdict (beside the queue a stack may
// wire), `gatewatch replay` and tests collect them.

import type { Verdict, VerdictSink } from '../model/verdict';
import type { Logger } from '../observe/log';

export class LoggingSink implements VerdictSink {
  constructor(private readonly log: Logger) {}

  async handle(verdicts: readonly Verdict[]): Promise<void> {
    for (const verdict of verdicts) {
      this.log.log(verdict.status === 'NON_COMPLIANT' ? 'warn' : 'info', 'verdict', {
        ruleId: verdict.ruleId,
        resourceArn: verdict.resourceArn,
        status: verdict.status,
        change: verdict.change,
        severity: verdict.severity,
        reason: verdict.reason,
        eventName: verdict.eventName,
        eventId: verdict.eventId,
        actor: verdict.actor,
      });
    }
  }
}

/** Collects verdicts, for `gatewatch replay` and tests. */
export class CollectingSink implements VerdictSink {
  readonly verdicts: Verdict[] = [];

  async handle(verdicts: readonly Verdict[]): Promise<void> {
    this.verdicts.push(...verdicts);
  }
}
