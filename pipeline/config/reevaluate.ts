// The drift path's way to keep the Config dashboard current: when a CloudTrail event changes
// a verdict, the affected gatewatch Config rules are asked to evaluate again
// (StartConfigRulesEvaluation), instead of waiting for Config to record an item or for the
// next periodic run. Config re-runs a rule over every resource in its scope, takes at most 25
// rules a request and refuses more than one request a minute: requests are batched and paced,
// and rules that arrive within the minute wait for the next request (in this execution
// environment). This is best effort and never fails the drift event: the periodic runs catch up.
import { type ConfigServiceClient, StartConfigRulesEvaluationCommand } from '@aws-sdk/client-config-service';
import type { Verdict, VerdictSink } from '../../model/verdict';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import { configRuleName } from './parameters';

/** StartConfigRulesEvaluation takes up to 25 rule names. */
export const RULES_PER_REQUEST = 25;
/** And refuses a second request within a minute. */
export const MIN_INTERVAL_MS = 60_000;

export interface ReevaluationOptions {
  /** The rules deployed as Config rules (`gatewatch-<id>`); verdicts of others are not forwarded. */
  readonly ruleIds: ReadonlySet<string>;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now?: () => number;
  readonly minIntervalMs?: number;
}

export class ConfigReevaluationSink implements VerdictSink {
  private readonly pending = new Set<string>();
  private lastRequest = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: Pick<ConfigServiceClient, 'send'>,
    private readonly options: ReevaluationOptions,
  ) {}

  /** Rule names waiting for the next request. */
  get waiting(): readonly string[] {
    return [...this.pending];
  }

  async handle(verdicts: readonly Verdict[]): Promise<void> {
    for (const verdict of verdicts) {
      if (verdict.change !== 'unchanged' && this.options.ruleIds.has(verdict.ruleId)) {
        this.pending.add(configRuleName(verdict.ruleId));
      }
    }
    await this.flush();
  }

  /** Sends one request for up to 25 waiting rules, unless the last one was less than a minute ago. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastRequest < (this.options.minIntervalMs ?? MIN_INTERVAL_MS)) {
      return this.report('deferred', [...this.pending], 'the last request was less than a minute ago');
    }
    const names = [...this.pending].slice(0, RULES_PER_REQUEST);
    this.lastRequest = now;
    try {
      await this.client.send(new StartConfigRulesEvaluationCommand({ ConfigRuleNames: names }));
      for (const name of names) this.pending.delete(name);
      this.report('requested', names);
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      if (code === 'LimitExceededException') {
        // An evaluation of these rules is still running, or another caller asked within the minute.
        return this.report('deferred', names, code);
      }
      for (const name of names) this.pending.delete(name);
      this.report('failed', names, `${code}: ${(error as Error).message}`);
    }
  }

  private report(outcome: 'requested' | 'deferred' | 'failed', names: readonly string[], why?: string) {
    this.options.metrics.add(metricNames.configReevaluations, names.length, 'Count', { outcome });
    this.options.log.log(outcome === 'failed' ? 'warn' : 'info', `Config re-evaluation ${outcome}`, {
      configRuleNames: names,
      ...(why ? { why } : {}),
    });
  }
}

/** Runs `sink`, then asks Config to re-evaluate; the re-evaluation never fails the event. */
export function alsoReevaluate(sink: VerdictSink, reevaluation: VerdictSink | undefined): VerdictSink {
  if (!reevaluation) return sink;
  return {
    async handle(verdicts) {
      await sink.handle(verdicts);
      await reevaluation.handle(verdicts);
    },
  };
}

/**
 * The drift function's sink, when the stack deploys the Config rules: CONFIG_RULE_IDS lists
 * the rule ids that have one (comma-separated).
 */
export function reevaluationFromEnvironment(
  client: () => Pick<ConfigServiceClient, 'send'>,
  options: Omit<ReevaluationOptions, 'ruleIds'>,
  environment: NodeJS.ProcessEnv = process.env,
): ConfigReevaluationSink | undefined {
  const ids = (environment.CONFIG_RULE_IDS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  return ids.length > 0
    ? new ConfigReevaluationSink(client(), { ...options, ruleIds: new Set(ids) })
    : undefined;
}
