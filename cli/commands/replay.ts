// `gatewatch replay`: the drift handler, locally, on events from files, in dry-run.

import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { regionAccessCache } from '../../functions/aws/clients';
import { FileBaselineStore } from '../../functions/drift/baseline-file';
import { MemoryBaselineStore } from '../../functions/drift/baseline-memory';
import type { BaselineStore, TargetReader, Verdict, VerdictSink } from '../../functions/drift/contracts';
import { type DriftOutcome, processEvent } from '../../functions/drift/pipeline';
import { InventoryReader } from '../../functions/drift/read-inventory';
import { LiveReader } from '../../functions/drift/read-live';
import { CollectingSink } from '../../functions/drift/sinks';
import { eventAccount } from '../../functions/events/catalog';
import { type ParsedEvent, parseEvents } from '../../functions/events/schema';
import { readInventory } from '../../functions/inventory/file';
import { silentLogger } from '../../functions/observe/log';
import { MemoryMetrics } from '../../functions/observe/metrics';
import {
  activeRules,
  defaultSettings,
  parametersOf,
  readSettings,
  type Settings,
} from '../../functions/settings/schema';
import type { AnyRule } from '../../rules/core/rule';
import { ValidationError } from '../../rules/core/validation';
import { parseFlags, UsageError, writeOutput } from '../args';
import { type Output, paint, severityColour } from '../output';
import { replayNotifier } from './replay-notify';
import { type RemediatorFor, replayRemediation } from './replay-remediate';
import { selectRules } from './scan';

export const replayUsage = `Usage: gatewatch replay FILE... [options]

Runs gatewatch's drift handler on CloudTrail events from files (an EventBridge event, a bare
CloudTrail record, or a CloudTrail log file with "Records"), in order, in dry-run: the
resources each event names are read afresh and judged, and compared with the baseline.

Options:
  --inventory FILE      read resources from a saved inventory (gatewatch scan --save-inventory);
                        repeat it with inventories saved at different times, and each event is
                        read from the first one collected at or after it
  --endpoint-url URL    read resources from this AWS-compatible endpoint (default: AWS itself);
                        with --inventory, only --notify publishes there
  --baseline FILE       the last known state (gatewatch scan --save-baseline); updated in place
  --rules id,id         judge only these rules
  --settings FILE       a gatewatch settings document (examples/settings/*.json): rule modes and
                        parameters, exemptions, remediation limits
  --remediate           run the remediator after each event, with the same guards as in AWS, and
                        show each action and its result; still dry-run unless the settings switch
                        dryRun off, and never a write against saved inventories (planned only)
  --notify TOPIC_ARN    publish each event's notifications to this SNS topic, as the deployed
                        notifier would (deduplicated, grouped per API and stage); the deployed
                        topic takes them from principals in settings.notifications.publishers
  --format F            table (default) or json: {"verdicts": [...], "ignored": N, "duplicates": N}
  --all                 include unchanged verdicts, not only new and resolved ones`;

const flagsSchema = z.object({
  inventory: z._default(z.array(z.string()), []),
  'endpoint-url': z.optional(z.url()),
  baseline: z.optional(z.string()),
  rules: z.optional(z.string()),
  settings: z.optional(z.string()),
  remediate: z._default(z.boolean(), false),
  notify: z.optional(z.string()),
  format: z._default(z.enum(['table', 'json']), 'table'),
  all: z._default(z.boolean(), false),
  help: z.optional(z.boolean()),
});

const options = {
  inventory: { type: 'string', multiple: true },
  'endpoint-url': { type: 'string' },
  baseline: { type: 'string' },
  rules: { type: 'string' },
  settings: { type: 'string' },
  remediate: { type: 'boolean' },
  notify: { type: 'string' },
  format: { type: 'string' },
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function replayCommand(argv: readonly string[], out: Output): Promise<number> {
  const { flags, positionals } = parseFlags('replay', argv, options, flagsSchema);
  if (flags.help) {
    out.write(`${replayUsage}\n`);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError(`gatewatch replay: name at least one event file.\n\n${replayUsage}`);
  if (flags.inventory.length > 0 && flags['endpoint-url'] && !flags.notify) {
    throw new UsageError('gatewatch replay: --inventory and --endpoint-url are alternatives; give one.');
  }
  const settings = flags.settings ? openSettings(flags.settings) : undefined;
  const rules = settings
    ? selectRules(flags.rules).filter((rule) => activeRules(settings).includes(rule))
    : selectRules(flags.rules);
  const events = positionals.flatMap(readEvents);
  const reader = readerFor(flags.inventory, flags['endpoint-url']);
  const baseline: BaselineStore & { save?: () => void } = flags.baseline
    ? openBaseline(flags.baseline)
    : new MemoryBaselineStore();

  const notifier = flags.notify ? replayNotifier(flags.notify, flags['endpoint-url'], settings) : undefined;
  const remediation = flags.remediate
    ? replayRemediation(
        settings ?? openSettings(undefined),
        {
          inventoryPaths: flags.inventory,
          ...(flags['endpoint-url'] ? { endpoint: flags['endpoint-url'] } : {}),
        },
        ...(notifier ? [() => notifier.sink] : []),
      )
    : undefined;
  const outcomes = await replayEvents(events, reader, baseline, rules, {
    ...(settings ? { parameters: parametersOf(settings) } : {}),
    ...(remediation ? { remediation } : {}),
    ...(notifier ? { notify: notifier.sink } : {}),
  });
  if (flags.baseline) writeOutput('replay', flags.baseline, () => baseline.save?.());

  const verdicts = outcomes.flatMap(({ outcome }) =>
    outcome.kind === 'judged' ? outcome.verdicts.filter((v) => flags.all || v.change !== 'unchanged') : [],
  );
  const ignored = outcomes.filter(({ outcome }) => outcome.kind === 'ignored').length;
  const duplicates = outcomes.filter(({ outcome }) => outcome.kind === 'duplicate').length;
  if (flags.format === 'json') {
    out.write(`${JSON.stringify({ verdicts, ignored, duplicates }, null, 2)}\n`);
  } else {
    out.write(replayTable(outcomes, flags.all, out));
  }
  // The summary goes beside the report, never into JSON output.
  if (notifier && flags.format === 'json') process.stderr.write(`${notifier.summary()}\n`);
  else if (notifier) out.write(`${notifier.summary()}\n`);
  return 0;
}

export type ReplayOutcome = { readonly event: ParsedEvent; readonly outcome: DriftOutcome };

export interface ReplayOptions {
  /** Rule parameters by rule id (from --settings). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** With --remediate: the remediator that takes each event's news; verdicts come back annotated. */
  readonly remediation?: RemediatorFor;
  /** With --notify: where each event's news goes (after the remediator, with --remediate). */
  readonly notify?: VerdictSink;
}

/** Runs the drift pipeline on events in order: verdicts are collected (and remediated with --remediate). */
export async function replayEvents(
  events: readonly ParsedEvent[],
  reader: (event: ParsedEvent) => TargetReader,
  baseline: BaselineStore,
  rules: readonly AnyRule[],
  options: ReplayOptions = {},
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  for (const event of events) {
    const eventReader = reader(event);
    const remediator = options.remediation?.(event, eventReader, baseline);
    const outcome = await processEvent(event, {
      reader: eventReader,
      baseline,
      rules,
      ...(options.parameters ? { parameters: options.parameters } : {}),
      sink: remediator ?? options.notify ?? new CollectingSink(),
      metrics: new MemoryMetrics(),
      log: silentLogger,
      now: () => new Date(),
    });
    outcomes.push({
      event,
      outcome:
        remediator && outcome.kind === 'judged'
          ? {
              ...outcome,
              verdicts: outcome.verdicts.map((verdict) => remediator.annotated.get(verdict) ?? verdict),
            }
          : outcome,
    });
  }
  return outcomes;
}

/** The settings file, or the defaults a new deployment uses (dry-run). */
function openSettings(path: string | undefined): Settings {
  if (!path) return defaultSettings;
  try {
    return readSettings(path);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`);
    throw error;
  }
}

export function readEvents(path: string): ParsedEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`gatewatch replay: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return parseEvents(json, path);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`);
    throw error;
  }
}

function openBaseline(path: string): FileBaselineStore {
  try {
    return FileBaselineStore.open(path);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`);
    throw error;
  }
}

export function readerFor(
  inventoryPaths: readonly string[],
  endpoint: string | undefined,
): (event: ParsedEvent) => TargetReader {
  if (inventoryPaths.length > 0) {
    let timeline: { collectedAt: number; reader: InventoryReader }[];
    try {
      timeline = inventoryPaths
        .map((path) => readInventory(path))
        .map((inventory) => ({
          collectedAt: Date.parse(inventory.collectedAt),
          reader: new InventoryReader(inventory),
        }))
        .sort((a, b) => a.collectedAt - b.collectedAt);
    } catch (error) {
      if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`);
      throw error;
    }
    const latest = timeline[timeline.length - 1] as { reader: InventoryReader };
    // The state right after the event: the first inventory collected at or after it, else the latest.
    return (event) => {
      const at = Date.parse(event.record.eventTime);
      return (timeline.find((step) => step.collectedAt >= at) ?? latest).reader;
    };
  }
  const access = regionAccessCache(endpoint ? { endpoint } : {});
  return (event) => new LiveReader(access, eventAccount(event));
}

export function replayTable(
  outcomes: readonly { event: ParsedEvent; outcome: DriftOutcome }[],
  all: boolean,
  out: Output,
): string {
  const lines: string[] = [];
  for (const { event, outcome } of outcomes) {
    const { record } = event;
    const header = `${record.eventTime}  ${record.eventName} (${record.eventSource})`;
    if (outcome.kind !== 'judged') {
      lines.push(
        paint(
          out,
          'grey',
          `${header}: ${outcome.kind === 'ignored' ? `ignored, ${outcome.reason}` : 'already handled'}`,
        ),
      );
      continue;
    }
    const shown = outcome.verdicts.filter((verdict) => all || verdict.change !== 'unchanged');
    lines.push(paint(out, 'bold', `${header} by ${outcome.verdicts[0]?.actor ?? 'unknown'}`));
    if (shown.length === 0) lines.push('  no change in compliance');
    for (const verdict of shown) lines.push(...verdictLines(verdict, out));
  }
  const verdicts = outcomes.flatMap(({ outcome }) => (outcome.kind === 'judged' ? outcome.verdicts : []));
  const count = (change: string) => verdicts.filter((verdict) => verdict.change === change).length;
  const applied = verdicts.filter((verdict) => verdict.remediation?.action === 'applied').length;
  const planned = verdicts.filter((verdict) => verdict.remediation?.action === 'planned').length;
  lines.push(
    '',
    `${outcomes.length} events: ${count('new')} new findings, ${count('resolved')} resolved; ` +
      (applied > 0
        ? `${applied} ${applied === 1 ? 'remediation' : 'remediations'} applied.`
        : planned > 0
          ? `${planned} ${planned === 1 ? 'remediation' : 'remediations'} planned; nothing was changed.`
          : 'dry-run, nothing was changed.'),
  );
  return `${lines.join('\n')}\n`;
}

function verdictLines(verdict: Verdict, out: Output): string[] {
  const label =
    verdict.change === 'resolved'
      ? paint(out, 'green', 'RESOLVED')
      : paint(out, severityColour[verdict.severity], verdict.severity.padEnd(8));
  const lines = [
    `  ${label} ${verdict.ruleId}${verdict.pending ? ' (pending deployment)' : ''}`,
    `           ${verdict.reason}`,
  ];
  if (verdict.before !== null || verdict.after !== null) {
    lines.push(
      paint(
        out,
        'grey',
        `           before: ${JSON.stringify(verdict.before)}  after: ${JSON.stringify(verdict.after)}`,
      ),
    );
  }
  if (verdict.remediation) {
    const { action, calls, result } = verdict.remediation;
    const colour =
      action === 'applied' ? 'green' : action === 'failed' || action === 'escalated' ? 'red' : 'blue';
    lines.push(`           ${paint(out, colour, `remediation: ${action}`)}  ${result}`);
    for (const call of calls) lines.push(paint(out, 'grey', `             ${call}`));
  }
  return lines;
}
