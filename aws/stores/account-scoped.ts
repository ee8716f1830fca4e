// One table for the whole organization: API Gateway ARNs carry no account
// (`arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5`, and every account's settings are
// `…::/account`), so the central functions keep each account's state under keys that name it.
// These wrappers do that around the baseline and the remediator's rate-limit records; a
// one-account deployment uses the stores as they are.

import type { RemediationStore } from '../../model/ledger';
import type { BaselineEntry, BaselineStore, KnownGoodStore } from '../../model/stores';

const prefixOf = (accountId: string) => `account#${accountId}#`;

/** The baseline of one account, in a table shared by every account of the organization. */
export function accountBaseline(inner: BaselineStore, accountId: string): BaselineStore {
  const prefix = prefixOf(accountId);
  const unscoped = (entry: BaselineEntry): BaselineEntry => ({
    ...entry,
    arn: entry.arn.slice(prefix.length),
  });
  return {
    async get(arn) {
      const entry = await inner.get(`${prefix}${arn}`);
      return entry ? unscoped(entry) : undefined;
    },
    put: (entry) => inner.put({ ...entry, arn: `${prefix}${entry.arn}` }),
    async list() {
      return (await inner.list()).filter((entry) => entry.arn.startsWith(prefix)).map(unscoped);
    },
    // Event ids are unique across accounts.
    handled: (eventId) => inner.handled(eventId),
    claim: (eventId, eventTime) => inner.claim(eventId, eventTime),
    markHandled: (eventId, eventTime) => inner.markHandled(eventId, eventTime),
    release: (eventId, token) => inner.release(eventId, token),
  };
}

/** The accounts a shared baseline holds state for (the sweep visits them). */
export async function baselineAccounts(inner: Pick<BaselineStore, 'list'>): Promise<string[]> {
  const accounts = new Set<string>();
  for (const entry of await inner.list()) {
    const match = /^account#(\d{12})#/.exec(entry.arn);
    if (match?.[1]) accounts.add(match[1]);
  }
  return [...accounts].sort();
}

/** The remediator's records of one account: the rate limit counts changes to this account's resource. */
export function accountRemediationStore(inner: RemediationStore, accountId: string): RemediationStore {
  const prefix = prefixOf(accountId);
  return {
    claim: (key, at) => inner.claim(key, at),
    complete: (key, outcome, at) => inner.complete(key, outcome, at),
    actionsSince: (ruleId, resourceArn, since) =>
      inner.actionsSince(ruleId, `${prefix}${resourceArn}`, since),
    recordAction: (ruleId, resourceArn, at, keepMinutes) =>
      inner.recordAction(ruleId, `${prefix}${resourceArn}`, at, keepMinutes),
  };
}

/** The known-good records of one account (pipeline/remediate/known-good.ts). */
export function accountKnownGood(inner: KnownGoodStore, accountId: string): KnownGoodStore {
  const prefix = prefixOf(accountId);
  return {
    async get(arn, ruleId) {
      const record = await inner.get(`${prefix}${arn}`, ruleId);
      return record ? { ...record, arn: record.arn.slice(prefix.length) } : undefined;
    },
    keep: (record) => inner.keep({ ...record, arn: `${prefix}${record.arn}` }),
  };
}
