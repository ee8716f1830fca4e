// `gatewatch scan`: judge a live account (or a saved inventory) with the catalog.
import { STSClient } from '@aws-sdk/client-sts';
import * as z from 'zod/mini';
import { Pacer, type RegionClients, regionClients } from '../../aws/clients';
import { collect } from '../../aws/read/collect';
import { needsLoggingPath } from '../../aws/read/collect-logging';
import { readInventory, writeInventory } from '../../aws/read/inventory-file';
import type { Inventory } from '../../aws/read/schema';
import { isAwsRegion } from '../../aws/regions';
import { FileBaselineStore } from '../../aws/stores/baseline-file';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { failsAt, type ScanResult, scanInventory } from '../../pipeline/scan/scan';
import type { AnyRule } from '../../rules/core/rule';
import { severities } from '../../rules/core/rule';
import { ValidationError } from '../../rules/core/validation';
import { catalog, findRule } from '../../rules/index';
import { activeRules, modeOf, parametersOf } from '../../settings/schema';
import { common, UsageError, writeOutput } from '../args';
import { explain } from '../errors';
import { defineCommand, type FlagValues, flag, nonEmpty, numberAbove, wholeNumber } from '../flags';
import type { Output } from '../output';
import { progressBar } from '../progress';
import { jsonReport } from '../report/json';
import { type ScanReport, scanReport } from '../report/model';
import { sarifReport } from '../report/sarif';
import { tableReport } from '../report/table';
import { cliSettings } from '../settings';

const severity = z.enum(severities);

export const scanFlags = {
  region: common.regions("region to scan; repeat for several (default: AWS_REGION or the profile's)"),
  profile: flag.optional('NAME', 'AWS profile to use (default: AWS_PROFILE or the default chain)', nonEmpty),
  'endpoint-url': common.endpointUrl(
    'send every AWS call to this endpoint (LocalStack, a compatible service);\nAWS_ENDPOINT_URL is honoured too',
  ),
  rules: common.rules(
    'judge only these rules (of those the settings do not switch off); repeat or separate with commas',
  ),
  settings: common.file(
    'the settings document to apply, as the deployed functions do: rule modes\n(off: not judged), parameters, exemptions, the opt-out tag\n(default: gatewatch.config.json in this directory, else the defaults)',
  ),
  format: common.format(['table', 'json', 'sarif'], 'table (default), json or sarif'),
  all: flag.boolean('include compliant and not-applicable evaluations (every format)'),
  'fail-on': flag.optional(
    'SEVERITY',
    'exit 1 when a finding is at or above CRITICAL|HIGH|MEDIUM|LOW|INFO;\nsuppressed findings never fail; exit 3 when nothing could be evaluated',
    severity,
  ),
  'runbook-base-url': flag.optional(
    'URL',
    'with --format sarif: absolute base of the runbook links (helpUri), e.g.\nhttps://github.com/you/gatewatch/blob/main/ (default: relative links)',
    z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }),
  ),
  inventory: common.file('judge a saved inventory instead of calling AWS'),
  'save-inventory': common.file('save what was collected, to judge it again offline'),
  'save-baseline': common.file('save the judged state, for gatewatch replay --baseline'),
  'metrics-days': flag.withDefault(
    'N',
    'days of invocation metrics for api-unused (default 30; 0 skips CloudWatch)',
    wholeNumber(0, 455),
    30,
  ),
  'max-rate': flag.withDefault(
    'N',
    "API Gateway requests per second (default 8 of the account's 10)",
    numberAbove(0, 10),
    8,
  ),
} as const;
type ScanFlags = FlagValues<typeof scanFlags>;

export const scanCommand = defineCommand({
  name: 'scan',
  summary: 'judge a live account, or a saved inventory, with the catalog',
  description:
    'Reads API Gateway (REST, HTTP, WebSocket), custom domains, WAF web ACLs and invocation metrics\n' +
    'from AWS and judges them with the rule catalog.',
  flags: scanFlags,
  epilogue:
    'Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 a usage, file,\n' +
    'credential, network, region, settings or permission problem, 3 with --fail-on: nothing could\n' +
    'be evaluated (every read failed or was denied), 70 a bug (--debug shows the stack trace).',
  run: ({ flags }, out) => scan(flags, out),
});

async function scan(flags: ScanFlags, out: Output): Promise<number> {
  if (flags.inventory && (flags.region.length > 0 || flags['endpoint-url'])) {
    throw new UsageError(
      'gatewatch scan: --inventory judges a saved file; it cannot be combined with --region or --endpoint-url.',
    );
  }
  if (flags['runbook-base-url'] && flags.format !== 'sarif') {
    throw new UsageError('gatewatch scan: --runbook-base-url applies to --format sarif only.');
  }
  const { settings, source } = cliSettings('scan', flags.settings);
  const selected = selectRules(flags.rules);
  const active = activeRules(settings);
  const rules = selected.filter((rule) => active.includes(rule));
  const rulesOff = selected
    .filter((rule) => !active.includes(rule))
    .map((rule) => ({
      ruleId: rule.id,
      why: `switched off in the settings (mode ${modeOf(settings, rule.id)})`,
    }));

  const inventory = flags.inventory ? loadInventory(flags.inventory) : await collectLive(flags, rules);
  const saveInventory = flags['save-inventory'];
  if (saveInventory) writeOutput('scan', saveInventory, () => writeInventory(saveInventory, inventory));

  const result = scanInventory(inventory, { rules, parameters: parametersOf(settings) });
  if (flags['save-baseline']) saveBaseline(flags['save-baseline'], result, inventory.collectedAt);
  const report = scanReport(result, { settings, source, rulesOff, now: new Date() });
  const code = exitCode(report, flags['fail-on']);
  out.write(render(report, flags, rules, out, code));
  return code;
}

/** 3: --fail-on, and nothing could be evaluated; 1: an unsuppressed finding at or above it; else 0. */
export function exitCode(report: ScanReport, threshold: ScanFlags['fail-on']): number {
  if (!threshold) return 0;
  if (!report.summary.evaluated) return 3;
  return report.findings.some((finding) => !finding.suppressed && failsAt(finding, threshold)) ? 1 : 0;
}

function render(
  report: ScanReport,
  flags: ScanFlags,
  rules: readonly AnyRule[],
  out: Output,
  exitCode: number,
): string {
  switch (flags.format) {
    case 'json':
      return jsonReport(report, { all: flags.all });
    case 'sarif':
      return sarifReport(report, rules, {
        version: (require('../../package.json') as { version: string }).version,
        all: flags.all,
        exitCode,
        ...(flags['runbook-base-url'] ? { runbookBaseUrl: withSlash(flags['runbook-base-url']) } : {}),
      });
    case 'table':
      return tableReport(report, out, { all: flags.all });
  }
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The rules --rules names (already checked against the catalog), or every rule. */
export function selectRules(ids: readonly string[]): readonly AnyRule[] {
  if (ids.length === 0) return catalog;
  return [...new Set(ids)].map((id) => findRule(id) as AnyRule);
}

function loadInventory(path: string): Inventory {
  try {
    return readInventory(path);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`gatewatch scan: ${error.message}`, 'input');
    throw error;
  }
}

async function collectLive(flags: ScanFlags, rules: readonly AnyRule[]): Promise<Inventory> {
  if (flags.profile) process.env.AWS_PROFILE = flags.profile;
  const endpoint = flags['endpoint-url'];
  const regions = flags.region.length > 0 ? flags.region : [await defaultRegion()];
  const regionAccess = new Map<string, RegionClients>();
  const clientsFor = (region: string) => {
    let clients = regionAccess.get(region);
    if (!clients) {
      const pacer = new Pacer({
        apigateway: { perSecond: flags['max-rate'], burst: Math.ceil(flags['max-rate'] * 2) },
      });
      clients = regionClients({ region, pacer, ...(endpoint ? { endpoint } : {}) });
      regionAccess.set(region, clients);
    }
    return clients;
  };
  const bar = progressBar(process.stderr);
  try {
    return await collect(regions, clientsFor, {
      metricsDays: flags['metrics-days'],
      loggingPath: needsLoggingPath(rules),
      onProgress: ({ done, total }) => {
        const stats = [...regionAccess.values()].reduce(
          (sum, { pacer }) => ({
            calls: sum.calls + Object.values(pacer.stats.calls).reduce((a, b) => a + b, 0),
            throttled: sum.throttled + pacer.stats.throttled,
          }),
          { calls: 0, throttled: 0 },
        );
        bar.update(done, total, `APIs · ${stats.calls} calls · ${stats.throttled} throttled`);
      },
    });
  } catch (error) {
    const problem = explain(error, 'scan');
    if (problem?.kind === 'credentials') {
      throw new UsageError(
        `${problem.message.replace(/\.$/, '')}; or judge a saved file with --inventory FILE.`,
        'credentials',
      );
    }
    throw problem ?? error;
  } finally {
    bar.done();
  }
}

/** The region from AWS_REGION, AWS_DEFAULT_REGION or the profile; a usage error when there is none. */
async function defaultRegion(): Promise<string> {
  let region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  try {
    // The SDK resolves the region from the environment and the shared config file, as the AWS CLI does.
    region ??= await new STSClient({}).config.region();
  } catch {
    region = undefined;
  }
  if (!region) {
    throw new UsageError(
      'gatewatch scan: no region. Pass --region REGION, set AWS_REGION, or set a region in your AWS profile.',
      'region',
    );
  }
  if (!isAwsRegion(region)) {
    throw new UsageError(
      `gatewatch scan: the default region ${JSON.stringify(region)} (AWS_REGION or the profile) is not an AWS region; pass --region REGION.`,
      'region',
    );
  }
  return region;
}

/** Writes the judged state as a baseline file (replacing any there), for `gatewatch replay --baseline`. */
function saveBaseline(path: string, result: ScanResult, observedAt: string): void {
  const entries = baselineFromScan(result.estate, result.findings, observedAt);
  writeOutput('scan', path, () => FileBaselineStore.create(path, entries).save());
}
