// Which accounts and regions a scheduled sweep visits: the home account in the deployment's
// regions and, for an organization, every member account known in the member regions. Member
// accounts are those the organization's Config aggregator reports as sources, and those the
// baseline already holds state for (events or sweeps seen from them). Each account and region is
// then swept on its own (one queue message each), so one that fails does not hold up the others.
import {
  type ConfigServiceClient,
  paginateDescribeConfigurationAggregatorSourcesStatus,
} from '@aws-sdk/client-config-service';
import type { Logger } from '../../observe/log';
import type { SweepTarget } from './sweep';

export interface PlanInputs {
  readonly homeAccountId: string;
  /** The home region and the regions forwarded to it. */
  readonly homeRegions: readonly string[];
  readonly organization?: {
    readonly memberRegions: readonly string[];
    /** Member accounts known (the home account among them or not). */
    readonly accounts: readonly string[];
  };
}

/** Every account and region to sweep, each once, the home account first. */
export function sweepTargets(inputs: PlanInputs): SweepTarget[] {
  const targets: SweepTarget[] = [];
  const seen = new Set<string>();
  const add = (accountId: string, region: string) => {
    const key = `${accountId}|${region}`;
    if (seen.has(key)) return;
    seen.add(key);
    targets.push({ accountId, region });
  };
  for (const region of inputs.homeRegions) add(inputs.homeAccountId, region);
  const organization = inputs.organization;
  if (organization) {
    for (const accountId of [...organization.accounts].sort()) {
      if (accountId === inputs.homeAccountId) continue;
      for (const region of organization.memberRegions) add(accountId, region);
    }
  }
  return targets;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The accounts the organization aggregator collects from (its sources' ids that are accounts),
 * every page followed. A failure is logged and gives none: the baseline's accounts still are swept.
 */
export async function aggregatorAccounts(
  /** Paced by a Pacer (aws/clients.ts), which also paces the paginator's pages. */
  config: ConfigServiceClient,
  aggregatorName: string,
  log: Logger,
): Promise<string[]> {
  const accounts = new Set<string>();
  try {
    const pages = paginateDescribeConfigurationAggregatorSourcesStatus(
      { client: config },
      { ConfigurationAggregatorName: aggregatorName },
    );
    for await (const page of pages) {
      for (const source of page.AggregatedSourceStatusList ?? []) {
        if (source.SourceId && ACCOUNT_ID.test(source.SourceId)) accounts.add(source.SourceId);
      }
    }
  } catch (error) {
    log.log(
      'warn',
      'the Config aggregator could not list its source accounts; sweeping the accounts the baseline knows',
      {
        aggregator: aggregatorName,
        problem: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      },
    );
  }
  return [...accounts].sort();
}
