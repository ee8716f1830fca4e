// Benchmark: the account-wide call budget. Part 1 reads the synthesized templates (one account,
// and an organization's central account) and prints each function that may call API Gateway,
// how many of its environments may run at once, and the worst-case request rate per account and
// region: with each environment pacing only itself (the naive way) and with the call budget,
// beside gatewatch's share and the quota. Part 2 measures, in-process with the real drift
// handler (queueHandler) and the budget in force (the baseline table answered in memory, real
// clock), how long a burst of CloudTrail events takes from event to verdict on the buffered path:
// event → queue → batch of 10 → one of 2 consumers → verdict; beside the naive way (every event
// its own environment at once, no budget), with the busiest second of API Gateway requests each sent.
// SQS, EventBridge and Lambda's own latencies are not in these figures (see the printed note).
// Run: npx tsx bench/budget.ts   (prints Markdown; figures, not a test)
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Template } from 'aws-cdk-lib/assertions';
import { accountBudget, budgetEnvironment, budgetLease } from '../aws/call-budget';
import {
  API_GATEWAY_QUOTA,
  budgetReport,
  deployedPacing,
  type TemplateJson,
  withinShare,
} from '../infra/budget-analysis';
import { DRIFT_BATCH_SIZE, DRIFT_MAX_CONCURRENCY } from '../infra/constructs/drift-detection';
import type { GatewatchStack } from '../infra/gatewatch-stack';
import { appFor, ORGANIZATION_SETTINGS } from '../test/support/infra';
import {
  ACCOUNT,
  demoBaseline,
  driftEvent,
  loadHandlers,
  REGION,
  sqsEvent,
  TABLE,
  World,
  withEventId,
} from '../test/support/reliability';

const BURST = 60;
const fmt = (n: number) => (Number.isFinite(n) ? (Math.round(n * 10) / 10).toString() : 'unbounded');

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

// ─── Part 1: the worst case, from the templates ─────────────────────────────────────────

function worstCase(): void {
  const oneAccount = appFor({ regions: ['eu-west-1', 'us-east-1'] }).node.findChild(
    'Gatewatch',
  ) as GatewatchStack;
  const central = appFor(ORGANIZATION_SETTINGS).node.findChild('GatewatchOrganization') as GatewatchStack;

  console.log('## Worst-case API Gateway requests per account and region\n');
  console.log(
    `Quota: ${API_GATEWAY_QUOTA.perSecond}/s, burst ${API_GATEWAY_QUOTA.burst} (every tool in the account). ` +
      `gatewatch's share (the call budget): ${accountBudget.apigateway.perSecond}/s, burst ${accountBudget.apigateway.burst}, ` +
      `leases of ${budgetLease.apigateway.block} tokens used within ${budgetLease.apigateway.leaseMs} ms. ` +
      `Each environment also paces itself at ${deployedPacing.perEnvironment.perSecond}/s, burst ${deployedPacing.perEnvironment.burst}.\n`,
  );
  const rows: string[][] = [];
  for (const [name, stack] of [
    ['one account', oneAccount],
    ['organization (each member account and region)', central],
  ] as const) {
    const report = budgetReport(Template.fromStack(stack).toJSON() as TemplateJson, deployedPacing);
    console.log(`### ${name}\n`);
    console.log(
      table(
        ['function', 'environments at once', 'invoked by', 'in the budget'],
        report.functions.map((fn) => [
          fn.description.replace(/^gatewatch /, '').replace(/:.*$/, ''),
          fmt(fn.concurrency),
          fn.invokedBy.map((how) => how.replace(/^[A-Za-z0-9]+: /, '')).join('; '),
          fn.inBudget ? 'yes' : 'NO',
        ]),
      ),
    );
    console.log('');
    rows.push([
      name,
      `${fmt(report.perEnvironmentOnly)} req/s`,
      `${fmt(report.sustained)} req/s`,
      `${fmt(report.worstSecond)}`,
      `${accountBudget.apigateway.perSecond} req/s`,
      withinShare(report) ? 'yes' : 'NO',
    ]);
  }
  console.log(
    table(
      [
        'deployment',
        'naive: Σ environments × own pace',
        'with the budget: sustained',
        'worst second (requests)',
        'share',
        'within',
      ],
      rows,
    ),
  );
  console.log('');
}

// ─── Part 2: event → verdict on the buffered path ───────────────────────────────────────

const DRIFT_QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/gatewatch-drift`;
const FILES = [
  '01-disassociate-web-acl.json',
  '02-update-stage-logging-off.json',
  '03-update-method-authorization-none.json',
  '04-create-deployment-prod.json',
  '05-update-route-authorization-none.json',
];

/** When each event's verdict was logged ('event judged' / 'event ignored'), read from the handler's log lines. */
function verdictClock() {
  const at = new Map<string, number>();
  const original = console.log;
  const originalWrite = process.stdout.write.bind(process.stdout);
  const note = (text: string) => {
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as { message?: string; eventId?: string };
      if (parsed.eventId && /^event (judged|ignored|already handled)/.test(parsed.message ?? '')) {
        if (!at.has(parsed.eventId)) at.set(parsed.eventId, performance.now());
      }
    }
  };
  console.log = (...args: unknown[]) => note(args.map(String).join(' '));
  process.stdout.write = ((chunk: string | Uint8Array) => {
    note(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  return {
    at,
    restore: () => {
      console.log = original;
      process.stdout.write = originalWrite;
    },
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] as number) < (sorted[start] as number) + 1000) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

function freshHandler(withBudget: boolean) {
  const ownCode = join(__dirname, '..');
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(ownCode) && !key.includes('node_modules')) delete require.cache[key];
  }
  if (withBudget) {
    process.env[budgetEnvironment.table] = TABLE;
    process.env[budgetEnvironment.account] = ACCOUNT;
  } else {
    delete process.env[budgetEnvironment.table];
    delete process.env[budgetEnvironment.account];
  }
  loadHandlers();
  return (require('../handlers/drift') as typeof import('../handlers/drift')).queueHandler;
}

async function latency(world: World, buffered: boolean, count = BURST) {
  world.reset(demoBaseline());
  // The naive way's environments are separate: a handler module (and its Pacer) for each event.
  const handlers = buffered ? [freshHandler(true)] : Array.from({ length: count }, () => freshHandler(false));
  const queueHandler = handlers[0] as Awaited<ReturnType<typeof freshHandler>>;
  const requests: number[] = [];
  world.setFault(({ service }) => {
    if (service === 'apigateway' || service === 'apigatewayv2') requests.push(performance.now());
    return undefined;
  });
  const clock = verdictClock();
  const start = performance.now();
  const time = new Date().toISOString();
  const queue = Array.from({ length: count }, (_, n) => {
    const eventId = `7d3c9e1a-0000-4000-8000-${String(n).padStart(12, '0')}`;
    return {
      eventId,
      messageId: `0b6c1a52-0000-4000-8000-${String(n).padStart(12, '0')}`,
      body: JSON.stringify(withEventId(driftEvent(FILES[n % FILES.length] as string), eventId, time)),
    };
  });
  const ids = queue.map((message) => message.eventId);
  try {
    if (buffered) {
      // Lambda's poller: up to DRIFT_MAX_CONCURRENCY batches at once, DRIFT_BATCH_SIZE messages each.
      const consumer = async () => {
        for (
          let batch = queue.splice(0, DRIFT_BATCH_SIZE);
          batch.length > 0;
          batch = queue.splice(0, DRIFT_BATCH_SIZE)
        ) {
          const { batchItemFailures } = await queueHandler(sqsEvent(DRIFT_QUEUE, batch));
          if (batchItemFailures.length > 0) throw new Error(`${batchItemFailures.length} messages failed`);
        }
      };
      await Promise.all(Array.from({ length: DRIFT_MAX_CONCURRENCY }, consumer));
    } else {
      // The naive way: EventBridge invoking the function for every event, each in an environment of its own.
      await Promise.all(
        queue.map((message, n) => (handlers[n] ?? queueHandler)(sqsEvent(DRIFT_QUEUE, [message]))),
      );
    }
  } finally {
    clock.restore();
    world.setFault(undefined);
  }
  const latencies = ids.map((id) => (clock.at.get(id) ?? Number.NaN) - start).sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    requests: requests.length,
    busiest: busiestSecond(requests),
    budgetItems: [...world.table.items.keys()].filter((key) => key.startsWith('budget#')).length,
  };
}

async function main(): Promise<void> {
  worstCase();
  const world = new World();
  const quiet = await latency(world, true, 1);
  const buffered = await latency(world, true);
  const naive = await latency(world, false);
  world.restore();
  console.log(
    `## Event → verdict: one event, then a burst of ${BURST} (in-process, real handler, real clock)\n`,
  );
  console.log(
    table(
      ['path', 'p50', 'p99', 'last verdict', 'API Gateway requests', 'busiest second'],
      [
        [
          'buffered, one event in a quiet account',
          `${(quiet.p50 / 1000).toFixed(2)} s`,
          `${(quiet.p99 / 1000).toFixed(2)} s`,
          `${(quiet.max / 1000).toFixed(2)} s`,
          String(quiet.requests),
          String(quiet.busiest),
        ],
        [
          `buffered: queue → batches of ${DRIFT_BATCH_SIZE} → ${DRIFT_MAX_CONCURRENCY} consumers, call budget`,
          `${(buffered.p50 / 1000).toFixed(2)} s`,
          `${(buffered.p99 / 1000).toFixed(2)} s`,
          `${(buffered.max / 1000).toFixed(2)} s`,
          String(buffered.requests),
          `${buffered.busiest} (share ${accountBudget.apigateway.perSecond}/s)`,
        ],
        [
          'naive: every event at once, an environment each, each pacing only itself',
          `${(naive.p50 / 1000).toFixed(2)} s`,
          `${(naive.p99 / 1000).toFixed(2)} s`,
          `${(naive.max / 1000).toFixed(2)} s`,
          String(naive.requests),
          `${naive.busiest}`,
        ],
      ],
    ),
  );
  console.log(
    '\nNot in these figures: CloudTrail → EventBridge (AWS documents no figure for it), EventBridge → SQS, and ' +
      "Lambda's SQS poller (long polling; AWS documents no latency figure either): unknown here, measure them in an " +
      'account (test/aws/e2e.ts). A quiet account sees its first event judged in well under a second of processing; ' +
      `a burst waits for the budget: about (requests ahead of it − ${accountBudget.apigateway.burst}) / ${accountBudget.apigateway.perSecond} seconds.\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
