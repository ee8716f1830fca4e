// Verdicts for the notification tests: the news the drift pipeline yields, in-process, for the
// bundled drift events (examples/drift/events) against the bundled estates, and the same
// verdicts as the remediator annotates them (its action and its own sentences) for every other
// kind of news.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InventoryReader } from '../../../aws/read/from-inventory';
import { readInventory } from '../../../aws/read/inventory-file';
import type { ReadResult, TargetReader } from '../../../aws/read/reader';
import { MemoryBaselineStore } from '../../../aws/stores/baseline-memory';
import { type ParsedEvent, parseEvents } from '../../../events/schema';
import type { Verdict } from '../../../model/verdict';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { baselineFromScan } from '../../../pipeline/drift/baseline-from-scan';
import { processEvent } from '../../../pipeline/drift/detect';
import type { NotificationDocument } from '../../../pipeline/notify/document-schema';
import type { Channel } from '../../../pipeline/notify/notifier';
import { scanInventory } from '../../../pipeline/scan/scan';
import { CollectingSink } from '../../../pipeline/sinks';
import { catalog } from '../../../rules/index';

const root = join(__dirname, '..', '..', '..');
const demo = readInventory(join(root, 'examples/inventory/demo.json'));
const afterUpdateMethod = readInventory(join(root, 'examples/drift/state-1-after-update-method.json'));
const afterDrift = readInventory(join(root, 'examples/drift/state-2-after-drift.json'));

/** When the pipeline judged the bundled events (19 minutes after the first). */
export const NOW = new Date('2026-11-23T09:31:30Z');

export function driftEvent(name: string): ParsedEvent {
  const [event] = parseEvents(
    JSON.parse(readFileSync(join(root, 'examples/drift/events', name), 'utf8')),
    name,
  );
  if (!event) throw new Error(`${name} holds no event`);
  return event;
}

const withId = (event: ParsedEvent, eventID: string, eventTime?: string): ParsedEvent => ({
  ...event,
  record: { ...event.record, eventID, ...(eventTime ? { eventTime } : {}) },
});

function demoBaseline(): MemoryBaselineStore {
  const result = scanInventory(demo, { rules: catalog });
  return new MemoryBaselineStore(baselineFromScan(result.estate, result.findings, demo.collectedAt));
}

async function news(event: ParsedEvent, reader: TargetReader, baseline: MemoryBaselineStore, now = NOW) {
  const sink = new CollectingSink();
  await processEvent(event, {
    reader,
    baseline,
    rules: catalog,
    sink,
    metrics: new MemoryMetrics(),
    log: silentLogger,
    now: () => now,
  });
  return sink.verdicts;
}

const one = (verdicts: readonly Verdict[], what: string): Verdict => {
  if (verdicts.length !== 1) throw new Error(`${what}: expected one verdict, got ${verdicts.length}`);
  return verdicts[0] as Verdict;
};

export interface Recorded {
  /** 01: the web ACL detached from payments-api prod (HIGH). */
  readonly wafDetached: Verdict;
  /** 02: execution logging turned off on backoffice-admin prod (MEDIUM). */
  readonly loggingOff: Verdict;
  /** 03: a method opened in orders-api's working copy, not deployed yet (pending, MEDIUM). */
  readonly methodPending: Verdict;
  /** 04: the deployment that serves it: two open methods on orders-api prod (HIGH). */
  readonly methodsOpen: Verdict;
  /** 05: an HTTP API route's authorization set to NONE by Terraform (HIGH). */
  readonly routeOpen: Verdict;
  /** Execution logging back on: 02 resolved. */
  readonly loggingBackOn: Verdict;
  /** A stage gatewatch was denied reading after an event: could not evaluate. */
  readonly couldNotRead: Verdict;
}

/** Replays the bundled drift sequence through the drift pipeline. */
export async function recordedVerdicts(): Promise<Recorded> {
  const baseline = demoBaseline();
  const first = new InventoryReader(afterUpdateMethod);
  const second = new InventoryReader(afterDrift);
  const wafDetached = one(await news(driftEvent('01-disassociate-web-acl.json'), first, baseline), '01');
  const loggingOff = one(await news(driftEvent('02-update-stage-logging-off.json'), first, baseline), '02');
  const methodPending = one(
    await news(driftEvent('03-update-method-authorization-none.json'), first, baseline),
    '03',
  );
  const methodsOpen = one(await news(driftEvent('04-create-deployment-prod.json'), second, baseline), '04');
  const routeOpen = one(
    await news(driftEvent('05-update-route-authorization-none.json'), second, baseline),
    '05',
  );
  const loggingBackOn = one(
    await news(
      withId(
        driftEvent('02-update-stage-logging-off.json'),
        '3b8e4f10-6d2c-4a7e-b5f9-0000000000a2',
        '2026-11-23T09:40:02Z',
      ),
      new InventoryReader(demo),
      baseline,
      new Date('2026-11-23T09:40:09Z'),
    ),
    'logging back on',
  );
  const denied: TargetReader = {
    read: async (): Promise<ReadResult> => ({
      snapshots: [],
      pending: [],
      workingCopyCompared: [],
      gone: [],
      problems: [
        {
          operation: 'GetStage',
          resource: 'arn:aws:apigateway:eu-west-1::/restapis/a9d3f5g7h1/stages/prod',
          code: 'AccessDeniedException',
          message:
            'User: arn:aws:sts::111122223333:assumed-role/gatewatch-drift/gatewatch is not authorized to perform: apigateway:GET',
          kind: 'denied',
        },
      ],
    }),
  };
  const couldNotRead = one(
    await news(
      withId(driftEvent('02-update-stage-logging-off.json'), '3b8e4f10-6d2c-4a7e-b5f9-0000000000e2'),
      denied,
      demoBaseline(),
    ),
    'could not read',
  );
  return { wafDetached, loggingOff, methodPending, methodsOpen, routeOpen, loggingBackOn, couldNotRead };
}

/** The verdict as the remediator hands it on. */
export const remediated = (
  verdict: Verdict,
  action: string,
  result: string,
  calls: readonly string[] = [],
): Verdict => ({
  ...verdict,
  remediation: { action, calls, result },
});

/** The same kind of verdict from another CloudTrail event, on another resource. */
export const another = (verdict: Verdict, changes: Partial<Verdict>): Verdict => ({ ...verdict, ...changes });

/** A channel that keeps what it was given. */
export class CapturingChannel implements Channel {
  readonly documents: NotificationDocument[] = [];
  private failuresLeft = 0;

  constructor(readonly name = 'sns') {}

  failNext(times = 1): void {
    this.failuresLeft = times;
  }

  async send(document: NotificationDocument): Promise<string> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    }
    this.documents.push(document);
    return `message-${this.documents.length}`;
  }
}
