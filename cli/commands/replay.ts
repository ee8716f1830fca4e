// `gatewatch replay`: the drift handler, locally, on events from files, in dry-run.

import { readFileSync } from 'node:fs';
import { regionAccessCache } from '../../aws/clients';
import { InventoryReader } from '../../aws/read/from-inventory';
import { readInventory } from '../../aws/read/inventory-file';
import { LiveReader } from '../../aws/read/live';
import type { TargetReader } from '../../aws/read/reader';
import { FileBaselineStore } from '../../aws/stores/baseline-file';
import { MemoryBaselineStore } from '../../aws/stores/baseline-memory';
import { eventAccount } from '../../events/request';
import { type ParsedEvent, parseEvents } from '../../events/schema';
import type { BaselineStore } from '../../model/stores';
import type { VerdictSink } from '../../model/verdict';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { processEvent } from '../../pipeline/drift/detect';
import { CollectingSink } from '../../pipeline/sinks';
import type { AnyRule } from '../../rules/core/rule';
import { ValidationError } from '../../rules/core/validation';
import {
  activeRules,
  defaultSettings,
  parametersOf,
  readSettings,
  type Settings,
} from '../../settings/schema';
import { common, UsageError, writeOutput } from '../args';
import { defineCommand, type FlagValues, flag, nonEmpty } from '../flags';
import type { Output } from '../output';
import { eventFiles, readEventFiles } from './replay-input';
import { replayNotifier } from './replay-notify';
import { type RemediatorFor, replayRemediation } from './replay-remediate';
import { type JudgedEvent, jsonReplayReport, tableReplayReport } from './replay-report';
import { selectRules } from './scan';

const replayFlags = {
  inventory: common.files(
    'read resources from a saved inventory (gatewatch scan --save-inventory);\n' +
      'repeat it with inventories saved at different times, and each event is\n' +
      'read from the first one collected at or after it',
  ),
  'endpoint-url': common.endpointUrl(
    'read resources from this AWS-compatible endpoint (default: AWS itself);\nwith --inventory, only --notify publishes there',
  ),
  baseline: common.file('the last known state (gatewatch scan --save-baseline); updated in place'),
  rules: common.rules(),
  settings: common.file(
    'a gatewatch settings document (examples/settings/*.json): rule modes and\nparameters, exemptions, remediation limits',
  ),
  remediate: flag.boolean(
    'run the remediator after each event, with the same guards as in AWS, and\n' +
      'show each action and its result; still dry-run unless the settings switch\n' +
      'dryRun off, and never a write against saved inventories (planned only)',
  ),
  notify: flag.optional(
    'TOPIC_ARN',
    "publish each event's notifications to this SNS topic, as the deployed\n" +
      'notifier would (deduplicated, grouped per API and stage); the deployed\n' +
      'topic takes them from principals in settings.notifications.publishers',
    nonEmpty,
  ),
  format: common.format(
    ['table', 'json'],
    'table (default) or json: {"verdicts": [...], "ignored": N, "duplicates": N}',
  ),
  all: flag.boolean('include unchanged verdicts, not only new and resolved ones'),
} as const;

export const replayCommand = defineCommand({
  name: 'replay',
  summary: 'run the drift handler on CloudTrail events from files (dry-run)',
  operands: { synopsis: 'FILE|FOLDER|-...', min: 1, max: Number.POSITIVE_INFINITY },
  description: `Runs gatewatch's drift handler on CloudTrail events, in order, in dry-run: the resources each
event names are read afresh and judged, and compared with the baseline. FILE is a CloudTrail
log file as CloudTrail delivers it (.json.gz, or .json: {"Records": [...]}), an EventBridge
event or a bare CloudTrail record; a FOLDER is read recursively (the S3 layout
AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/); - reads standard input. Files are
streamed: memory stays flat whatever their size.`,
  flags: replayFlags,
  run: ({ flags, operands }, out) => replay(flags, operands, out),
});

async function replay(
  flags: FlagValues<typeof replayFlags>,
  operands: string[],
  out: Output,
): Promise<number> {
  if (flags.inventory.length > 0 && flags['endpoint-url'] && !flags.notify) {
    throw new UsageError('gatewatch replay: --inventory and --endpoint-url are alternatives; give one.');
  }
  const files = eventFiles(operands);
  const settings = flags.settings ? openSettings(flags.settings) : undefined;
  const rules = settings
    ? selectRules(flags.rules).filter((rule) => activeRules(settings).includes(rule))
    : selectRules(flags.rules);
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
  const report =
    flags.format === 'json' ? jsonReplayReport(out, flags.all) : tableReplayReport(out, flags.all);
  for await (const judged of replayStream(readEventFiles(files), reader, baseline, rules, {
    ...(settings ? { parameters: parametersOf(settings) } : {}),
    ...(remediation ? { remediation } : {}),
    ...(notifier ? { notify: notifier.sink } : {}),
  })) {
    report.add(judged);
  }
  if (flags.baseline) writeOutput('replay', flags.baseline, () => baseline.save?.());
  report.end();
  // The summary goes beside the report, never into JSON output.
  if (notifier && flags.format === 'json') process.stderr.write(`${notifier.summary()}\n`);
  else if (notifier) out.write(`${notifier.summary()}\n`);
  return 0;
}

export type ReplayOutcome = JudgedEvent;

export interface ReplayOptions {
  /** Rule parameters by rule id (from --settings). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** With --remediate: the remediator that takes each event's news; verdicts come back annotated. */
  readonly remediation?: RemediatorFor;
  /** With --notify: where each event's news goes (after the remediator, with --remediate). */
  readonly notify?: VerdictSink;
}

/** Runs the drift pipeline on events in order, yielding each outcome as it is known. */
export async function* replayStream(
  events: Iterable<ParsedEvent> | AsyncIterable<ParsedEvent>,
  reader: (event: ParsedEvent) => TargetReader,
  baseline: BaselineStore,
  rules: readonly AnyRule[],
  options: ReplayOptions = {},
): AsyncGenerator<JudgedEvent> {
  for await (const event of events) {
    const started = performance.now();
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
    yield {
      event,
      handlerMs: Math.round(performance.now() - started),
      outcome:
        remediator && outcome.kind === 'judged'
          ? {
              ...outcome,
              verdicts: outcome.verdicts.map((verdict) => remediator.annotated.get(verdict) ?? verdict),
            }
          : outcome,
    };
  }
}

/** The outcomes of events already at hand (the demo, tests). */
export async function replayEvents(
  events: readonly ParsedEvent[],
  reader: (event: ParsedEvent) => TargetReader,
  baseline: BaselineStore,
  rules: readonly AnyRule[],
  options: ReplayOptions = {},
): Promise<JudgedEvent[]> {
  const outcomes: JudgedEvent[] = [];
  for await (const judged of replayStream(events, reader, baseline, rules, options)) outcomes.push(judged);
  return outcomes;
}

/** The settings file, or the defaults a new deployment uses (dry-run). */
function openSettings(path: string | undefined): Settings {
  if (!path) return defaultSettings;
  try {
    return readSettings(path);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`, 'input');
    throw error;
  }
}

/** The events in a small file at hand (the demo's): read whole. replay itself streams. */
export function readEvents(path: string): ParsedEvent[] {
  try {
    return parseEvents(JSON.parse(readFileSync(path, 'utf8')), path);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UsageError(`gatewatch replay: ${path} is not JSON.`, 'input');
    if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`, 'input');
    throw error;
  }
}

function openBaseline(path: string): FileBaselineStore {
  try {
    return FileBaselineStore.open(path);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`, 'input');
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
      if (error instanceof ValidationError)
        throw new UsageError(`gatewatch replay: ${error.message}`, 'input');
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
