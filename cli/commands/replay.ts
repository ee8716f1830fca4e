// `gatewatch replay`: the drift handler, locally, on events from files, in dry-run.
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { Caller, type RegionClients, regionClients } from '../../functions/aws/clients';
import { FileBaselineStore } from '../../functions/drift/baseline-file';
import { MemoryBaselineStore } from '../../functions/drift/baseline-memory';
import type { BaselineStore, TargetReader, Verdict } from '../../functions/drift/contracts';
import { type DriftOutcome, processEvent } from '../../functions/drift/pipeline';
import { InventoryReader } from '../../functions/drift/read-inventory';
import { LiveReader } from '../../functions/drift/read-live';
import { CollectingSink } from '../../functions/drift/sinks';
import { type ParsedEvent, parseEvents } from '../../functions/events/schema';
import { readInventory } from '../../functions/inventory/file';
import { silentLogger } from '../../functions/observe/log';
import { MemoryMetrics } from '../../functions/observe/metrics';
import type { AnyRule } from '../../rules/core/rule';
import { ValidationError } from '../../rules/core/validation';
import { parseFlags, UsageError } from '../args';
import { type Output, paint, severityColour } from '../output';
import { selectRules } from './scan';

export const replayUsage = `Usage: gatewatch replay FILE... [options]

Runs gatewatch's drift handler on CloudTrail events from files (an EventBridge event, a bare
CloudTrail record, or a CloudTrail log file with "Records"), in order, in dry-run: the
resources each event names are read afresh and judged, and compared with the baseline.

Options:
  --inventory FILE      read resources from a saved inventory (gatewatch scan --save-inventory);
                        repeat it with inventories saved at different times, and each event is
                        read from the first one collected at or after it
  --endpoint-url URL    read resources from this AWS-compatible endpoint (default: AWS itself)
  --baseline FILE       the last known state (gatewatch scan --save-baseline); updated in place
  --rules id,id         judge only these rules
  --format F            table (default) or json: {"verdicts": [...], "ignored": N, "duplicates": N}
  --all                 include unchanged verdicts, not only new and resolved ones`;

const flagsSchema = z.object({
  inventory: z._default(z.array(z.string()), []),
  'endpoint-url': z.optional(z.url()),
  baseline: z.optional(z.string()),
  rules: z.optional(z.string()),
  format: z._default(z.enum(['table', 'json']), 'table'),
  all: z._default(z.boolean(), false),
  help: z.optional(z.boolean()),
});

const options = {
  inventory: { type: 'string', multiple: true },
  'endpoint-url': { type: 'string' },
  baseline: { type: 'string' },
  rules: { type: 'string' },
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
  if (flags.inventory.length > 0 && flags['endpoint-url']) {
    throw new UsageError('gatewatch replay: --inventory and --endpoint-url are alternatives; give one.');
  }
  const rules = selectRules(flags.rules);
  const events = positionals.flatMap(readEvents);
  const reader = readerFor(flags.inventory, flags['endpoint-url']);
  const baseline: BaselineStore & { save?: () => void } = flags.baseline
    ? openBaseline(flags.baseline)
    : new MemoryBaselineStore();

  const outcomes = await replayEvents(events, reader, baseline, rules);
  baseline.save?.();

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
  return 0;
}

export type ReplayOutcome = { readonly event: ParsedEvent; readonly outcome: DriftOutcome };

/** Runs the drift pipeline on events in order, in dry-run: verdicts are collected, not sent. */
export async function replayEvents(
  events: readonly ParsedEvent[],
  reader: (event: ParsedEvent) => TargetReader,
  baseline: BaselineStore,
  rules: readonly AnyRule[],
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  for (const event of events) {
    const outcome = await processEvent(event, {
      reader: reader(event),
      baseline,
      rules,
      sink: new CollectingSink(),
      metrics: new MemoryMetrics(),
      log: silentLogger,
      now: () => new Date(),
    });
    outcomes.push({ event, outcome });
  }
  return outcomes;
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
  const regions = new Map<string, { clients: RegionClients; caller: Caller }>();
  const access = (region: string) => {
    let entry = regions.get(region);
    if (!entry) {
      entry = { clients: regionClients({ region, ...(endpoint ? { endpoint } : {}) }), caller: new Caller() };
      regions.set(region, entry);
    }
    return entry;
  };
  return (event) =>
    new LiveReader(
      access,
      event.envelope?.account ?? event.record.recipientAccountId ?? event.record.userIdentity.accountId ?? '',
    );
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
  lines.push(
    '',
    `${outcomes.length} events: ${count('new')} new findings, ${count('resolved')} resolved; dry-run, nothing was changed.`,
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
  return lines;
}
