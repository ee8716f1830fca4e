// `gatewatch scan`: judge a live account (or a saved inventory) with the catalog.
import { STSClient } from '@aws-sdk/client-sts';
import * as z from 'zod/mini';
import { Caller, type Caller as CallerType, regionClients } from '../../functions/aws/clients';
import { FileBaselineStore } from '../../functions/drift/baseline-file';
import { baselineFromScan } from '../../functions/drift/baseline-from-scan';
import { CredentialsError, collect } from '../../functions/inventory/collect';
import { needsLoggingPath } from '../../functions/inventory/collect-logging';
import { readInventory, writeInventory } from '../../functions/inventory/file';
import type { Inventory } from '../../functions/inventory/schema';
import { failsAt, type ScanResult, scanInventory } from '../../functions/pipeline/scan';
import type { AnyRule } from '../../rules/core/rule';
import { severities } from '../../rules/core/rule';
import { ValidationError } from '../../rules/core/validation';
import { catalog, findRule } from '../../rules/index';
import { parseFlags, UsageError, writeOutput } from '../args';
import type { Output } from '../output';
import { progressBar } from '../progress';
import { jsonReport } from '../report/json';
import { sarifReport } from '../report/sarif';
import { tableReport } from '../report/table';

export const scanUsage = `Usage: gatewatch scan [options]

Reads API Gateway (REST, HTTP, WebSocket), custom domains, WAF web ACLs and invocation metrics
from AWS and judges them with the rule catalog.

Options:
  --region R            region to scan; repeat for several (default: AWS_REGION or the profile's)
  --profile NAME        AWS profile to use (default: AWS_PROFILE or the default chain)
  --endpoint-url URL    send every AWS call to this endpoint (LocalStack, a compatible service);
                        AWS_ENDPOINT_URL is honoured too
  --rules id,id         judge only these rules
  --format F            table (default), json or sarif
  --all                 with --format json: include compliant and not-applicable evaluations
  --fail-on SEVERITY    exit 1 when a finding is at or above CRITICAL|HIGH|MEDIUM|LOW|INFO
  --inventory FILE      judge a saved inventory instead of calling AWS
  --save-inventory FILE save what was collected, to judge it again offline
  --save-baseline FILE  save the judged state, for gatewatch replay --baseline
  --metrics-days N      days of invocation metrics for api-unused (default 30; 0 skips CloudWatch)
  --max-rate N          API Gateway requests per second (default 8 of the account's 10)

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or credential errors.`;

const severity = z.enum(severities);
const flagsSchema = z.object({
  region: z._default(z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'not a region name'))), []),
  profile: z.optional(z.string()),
  'endpoint-url': z.optional(z.url()),
  rules: z.optional(z.string()),
  format: z._default(z.enum(['table', 'json', 'sarif']), 'table'),
  all: z._default(z.boolean(), false),
  'fail-on': z.optional(severity),
  inventory: z.optional(z.string()),
  'save-inventory': z.optional(z.string()),
  'save-baseline': z.optional(z.string()),
  'metrics-days': z._default(
    z
      .pipe(z.string(), z.transform(Number))
      .check(z.refine((n) => Number.isInteger(n) && n >= 0 && n <= 455, 'a whole number from 0 to 455')),
    30,
  ),
  'max-rate': z._default(
    z
      .pipe(z.string(), z.transform(Number))
      .check(z.refine((n) => n > 0 && n <= 10, 'a number above 0 and at most 10')),
    8,
  ),
  help: z.optional(z.boolean()),
});
type ScanFlags = z.output<typeof flagsSchema>;

const options = {
  region: { type: 'string', multiple: true },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  rules: { type: 'string' },
  format: { type: 'string' },
  all: { type: 'boolean' },
  'fail-on': { type: 'string' },
  inventory: { type: 'string' },
  'save-inventory': { type: 'string' },
  'save-baseline': { type: 'string' },
  'metrics-days': { type: 'string' },
  'max-rate': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function scanCommand(argv: readonly string[], out: Output): Promise<number> {
  const { flags, positionals } = parseFlags('scan', argv, options, flagsSchema);
  if (flags.help) {
    out.write(`${scanUsage}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`gatewatch scan takes no arguments (got ${positionals.join(' ')}).`);
  if (flags.inventory && (flags.region.length > 0 || flags['endpoint-url'])) {
    throw new UsageError(
      'gatewatch scan: --inventory judges a saved file; it cannot be combined with --region or --endpoint-url.',
    );
  }
  const rules = selectRules(flags.rules);

  const inventory = flags.inventory ? loadInventory(flags.inventory) : await collectLive(flags, rules);
  const saveInventory = flags['save-inventory'];
  if (saveInventory) writeOutput('scan', saveInventory, () => writeInventory(saveInventory, inventory));

  const result = scanInventory(inventory, { rules });
  if (flags['save-baseline']) saveBaseline(flags['save-baseline'], result, inventory.collectedAt);
  out.write(render(result, flags, rules, out));
  const threshold = flags['fail-on'];
  return threshold && result.findings.some((finding) => failsAt(finding, threshold)) ? 1 : 0;
}

function render(result: ScanResult, flags: ScanFlags, rules: readonly AnyRule[], out: Output): string {
  switch (flags.format) {
    case 'json':
      return jsonReport(result, { all: flags.all });
    case 'sarif':
      return sarifReport(result, rules, (require('../../package.json') as { version: string }).version);
    case 'table':
      return tableReport(result, out);
  }
}

export function selectRules(list: string | undefined): readonly AnyRule[] {
  if (!list) return catalog;
  const ids = list
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !findRule(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `gatewatch: unknown rule ${unknown.join(', ')}. Known rules: ${catalog.map((r) => r.id).join(', ')}.`,
    );
  }
  return ids.map((id) => findRule(id) as AnyRule);
}

function loadInventory(path: string): Inventory {
  try {
    return readInventory(path);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`gatewatch scan: ${error.message}`);
    throw error;
  }
}

async function collectLive(flags: ScanFlags, rules: readonly AnyRule[]): Promise<Inventory> {
  if (flags.profile) process.env.AWS_PROFILE = flags.profile;
  const endpoint = flags['endpoint-url'];
  const regions = flags.region.length > 0 ? flags.region : [await defaultRegion()];
  const callers = new Map<string, CallerType>();
  const callerFor = (region: string) => {
    let caller = callers.get(region);
    if (!caller) {
      caller = new Caller({
        apigateway: { perSecond: flags['max-rate'], burst: Math.ceil(flags['max-rate'] * 2) },
      });
      callers.set(region, caller);
    }
    return caller;
  };
  const bar = progressBar(process.stderr);
  try {
    return await collect(
      regions,
      (region) => regionClients({ region, ...(endpoint ? { endpoint } : {}) }),
      callerFor,
      {
        metricsDays: flags['metrics-days'],
        loggingPath: needsLoggingPath(rules),
        onProgress: ({ done, total }) => {
          const stats = [...callers.values()].reduce(
            (sum, caller) => ({
              calls: sum.calls + Object.values(caller.stats.calls).reduce((a, b) => a + b, 0),
              throttled: sum.throttled + caller.stats.throttled,
            }),
            { calls: 0, throttled: 0 },
          );
          bar.update(done, total, `APIs · ${stats.calls} calls · ${stats.throttled} throttled`);
        },
      },
    );
  } catch (error) {
    if (error instanceof CredentialsError) {
      throw new UsageError(
        `gatewatch scan: no usable AWS credentials (${error.message}). Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ` +
          'or judge a saved file with --inventory FILE.',
      );
    }
    throw error;
  } finally {
    bar.done();
  }
}

/** The region from AWS_REGION, AWS_DEFAULT_REGION or the profile; a usage error when there is none. */
async function defaultRegion(): Promise<string> {
  const fromEnv = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  try {
    // The SDK resolves the region from the environment and the shared config file, as the AWS CLI does.
    const region = await new STSClient({}).config.region();
    if (region) return region;
    throw new Error('no region');
  } catch {
    throw new UsageError(
      'gatewatch scan: no region. Pass --region REGION, set AWS_REGION, or set a region in your AWS profile.',
    );
  }
}

/** Writes the judged state as a baseline file (replacing any there), for `gatewatch replay --baseline`. */
function saveBaseline(path: string, result: ScanResult, observedAt: string): void {
  const entries = baselineFromScan(result.estate, result.findings, observedAt);
  writeOutput('scan', path, () => FileBaselineStore.create(path, entries).save());
}
