// The targeted reads of custom domain names and the account settings (with the logging-path
// parts the target asks for), and the custom domains an API's read looks its own up in.
import type { LoggingPathPart } from '../../events/targets';
import { accountArn, apiGatewayArn, domainNameArn, v2ApiArn } from '../../model/identity';
import type { AccountSnapshot, RestApiSnapshot, V2ApiSnapshot } from '../../rules/core/resources';
import { readAccountSettings } from './account';
import { readLoggingPath } from './collect-logging';
import { readDomainName, readDomainNames } from './domains';
import type { ReadSession } from './live-session';
import { withKnownLoggingPath } from './logging-path';
import type { DomainEntry } from './schema';
import { listV2Apis, readV2Stages } from './v2';

/** Domain lookups read mappings a few domains at a time; the clients pace them anyway. */
const DOMAIN_CONCURRENCY = 4;

export async function readDomainNameTarget(session: ReadSession, domainName: string): Promise<void> {
  const arn = domainNameArn(session.region, domainName);
  await session.attempt('GetDomainName', arn, [arn], async () => {
    const entry = await readDomainName(session.clients, domainName);
    const normalised = session.normalise(`domain name ${domainName}`, { domainNames: [entry] });
    for (const snapshot of normalised.estate.domainNames) session.add(snapshot);
  });
}

/** The account settings, the logging-path parts asked for read afresh and the others kept from before. */
export async function readAccountTarget(
  session: ReadSession,
  reads: readonly LoggingPathPart[],
): Promise<void> {
  const { clients, region, accountId } = session;
  const arn = accountArn(region);
  await session.attempt('GetAccount', arn, [], async () => {
    const account = await session.sharedRead('GetAccount', () => readAccountSettings(clients));
    const before = session.previousOf(arn, 'account');
    const attempt = <T>(operation: string, resource: string, read: () => Promise<T>) =>
      session.attempt(operation, resource, null, read);
    const path = reads.length
      ? await readLoggingPath(
          clients,
          { region, accountId },
          account.cloudwatchRoleArn || null,
          attempt,
          reads,
        )
      : {};
    const stages = reads.includes('log-resource-policies')
      ? await httpStagesUnlessKnown(session, before)
      : [];
    const normalised = session.normalise('the account settings', {
      account,
      v2Apis: stages ?? [],
      loggingPath: {
        cloudwatchRole: path.cloudwatchRole ?? { state: 'not-read' },
        trails: path.trails ?? null,
        logResourcePolicies: path.logResourcePolicies ?? null,
      },
    });
    for (const snapshot of normalised.estate.accounts) {
      session.add(withKnownLoggingPath(snapshot, reads, before, stages !== undefined));
    }
  });
}

/**
 * The HTTP API stages (their access log settings) when the previous state does not know their
 * log groups; undefined when they could not be listed.
 */
async function httpStagesUnlessKnown(
  session: ReadSession,
  before: AccountSnapshot | undefined,
): Promise<unknown[] | undefined> {
  if (before?.httpAccessLogGroups !== undefined) return [];
  const apis = await session.attempt('GetApis', apiGatewayArn(session.region, '/apis'), null, () =>
    listV2Apis(session.clients),
  );
  if (!apis) return undefined;
  const entries: unknown[] = [];
  for (const api of apis.filter((candidate) => candidate.ProtocolType === 'HTTP' && candidate.ApiId)) {
    const ApiId = api.ApiId as string;
    const stages = await session.attempt('GetStages', v2ApiArn(session.region, ApiId), [], () =>
      readV2Stages(session.clients, ApiId),
    );
    if (stages) entries.push({ api, stages, routes: [], integrations: [], authorizers: [] });
  }
  return entries;
}

/**
 * Custom domain entries for normalise to find an API's domains in, read only when the
 * previous state does not know them (`api-default-endpoint-disabled` needs them).
 */
export async function domainEntriesUnlessKnown(
  session: ReadSession,
  before: unknown,
  apiArn: string,
): Promise<DomainEntry[]> {
  if (before) return [];
  return (
    (await session.attempt('GetDomainNames', apiArn, null, () =>
      readDomainNames(session.clients, DOMAIN_CONCURRENCY),
    )) ?? []
  );
}

/** The custom domains and invocation counts a live read does not fetch, from the previous state. */
export function knownDomains<S extends RestApiSnapshot | V2ApiSnapshot>(
  snapshot: S,
  before: S | undefined,
): S {
  return before
    ? { ...snapshot, customDomainNames: before.customDomainNames, invocations: before.invocations }
    : snapshot;
}
