// The guards between a finding and a change to someone's API. Each is a small pure function
// that allows the remediation or stops it with a reason a person reads in the notification;
// the remediator (remediator.ts) runs them in order and acts only when every one allows.

import { roleOfPrincipal } from '../../model/identity';
import type { Verdict } from '../../model/verdict';
import type { Tags } from '../../rules/core/resources';
import type { AnyRule } from '../../rules/core/rule';
import type { Exemption, Mode, Settings } from '../../settings/schema';

/**
 * `skipped`: not acted on, by design (mode, opt-out, exemption, gatewatch's own change, IaC).
 * `escalated`: would have acted, but a limit says a person must look (rate limit).
 */
export type GuardResult =
  | { readonly allow: true; readonly notes?: readonly string[] }
  | { readonly allow: false; readonly action: 'skipped' | 'escalated'; readonly reason: string };

const allow = (notes: readonly string[] = []): GuardResult =>
  notes.length > 0 ? { allow: true, notes } : { allow: true };
const skip = (reason: string): GuardResult => ({ allow: false, action: 'skipped', reason });

/** Only news of a resource turning non-compliant on what it serves is remediated. */
export function remediable(verdict: Verdict): boolean {
  return verdict.status === 'NON_COMPLIANT' && verdict.change === 'new' && !verdict.pending;
}

/**
 * The mode a rule runs in. `defaultMode: remediate` switches on only fixes that cannot break
 * clients; a fix that can (a restored authorizer, a TLS policy, a web ACL) must be switched on
 * by the rule's own `mode`.
 */
export function effectiveMode(settings: Settings, rule: AnyRule): { mode: Mode; why: string } {
  const own = settings.rules[rule.id]?.mode;
  if (own) return { mode: own, why: `rules.${rule.id}.mode is ${own}` };
  if (settings.defaultMode === 'remediate' && rule.remediation?.canBreakClients) {
    return {
      mode: 'notify',
      why: `its fix can affect clients, so defaultMode does not switch it on; set rules.${rule.id}.mode to "remediate"`,
    };
  }
  return { mode: settings.defaultMode, why: `defaultMode is ${settings.defaultMode}` };
}

export function modeGuard(settings: Settings, rule: AnyRule): GuardResult {
  if (!rule.remediation) return skip(`Rule ${rule.id} declares no remediation; notify only.`);
  const { mode, why } = effectiveMode(settings, rule);
  if (mode !== 'remediate') return skip(`Remediation of ${rule.id} is not switched on (${why}).`);
  return allow();
}

/**
 * The opt-out tag on the resource or its API: value `all`, or rule ids separated by spaces
 * (or commas). The resource's own tag wins over the API's.
 */
export function optOutGuard(
  tagKey: string,
  ruleId: string,
  tagged: readonly { readonly what: string; readonly tags: Tags }[],
): GuardResult {
  for (const { what, tags } of tagged) {
    const value = tags[tagKey];
    if (value === undefined) continue;
    const listed = value
      .split(/[\s,]+/)
      .map((word) => word.trim())
      .filter(Boolean);
    if (listed.includes('all') || listed.includes(ruleId)) {
      return skip(`${what} is tagged ${tagKey}=${value}: gatewatch does not change it for ${ruleId}.`);
    }
  }
  return allow();
}

/** `*` in a pattern matches any run of characters; everything else is literal. */
export function matchesPattern(pattern: string, value: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`).test(value);
}

/** The last day an exemption holds, as the end of that day in UTC (or the exact time when given). */
const expiryOf = (exemption: Exemption) =>
  Date.parse(exemption.expires.length === 10 ? `${exemption.expires}T23:59:59.999Z` : exemption.expires);

/** An exemption in force stops the change; an expired one that matches is reported and no longer holds. */
export function exemptionGuard(
  exemptions: readonly Exemption[],
  ruleId: string,
  resourceArn: string,
  now: Date,
): GuardResult {
  const matching = exemptions.filter(
    (exemption) =>
      (exemption.rule === '*' || exemption.rule === ruleId) &&
      matchesPattern(exemption.resource, resourceArn),
  );
  const inForce = matching.find((exemption) => expiryOf(exemption) >= now.getTime());
  if (inForce) {
    return skip(
      `${resourceArn} is exempt from ${ruleId} until ${inForce.expires} (${inForce.reason.replace(/\.$/, '')}).`,
    );
  }
  return allow(
    matching.map(
      (exemption) =>
        `The exemption of ${exemption.resource} from ${exemption.rule} ("${exemption.reason.replace(/\.$/, '')}") expired on ${exemption.expires} and no longer applies.`,
    ),
  );
}

/** Whether the actor is a session of this role (or the role itself). */
export function isRole(actor: string, roleArn: string): boolean {
  const a = roleOfPrincipal(actor);
  const b = roleOfPrincipal(roleArn);
  return a !== undefined && b !== undefined && a.accountId === b.accountId && a.roleName === b.roleName;
}

/**
 * No loops: a change made by gatewatch's own role is never remediated again, nor one made by
 * a trusted principal (ARN patterns with `*`; a role's ARN also matches its sessions).
 */
export function loopGuard(
  verdict: Pick<Verdict, 'actor'>,
  ownRoleArn: string | undefined,
  trustedPrincipals: readonly string[],
): GuardResult {
  if (ownRoleArn && isRole(verdict.actor, ownRoleArn)) {
    return skip(
      `The change was made by gatewatch's own role (${verdict.actor}); it is not remediated again.`,
    );
  }
  const trusted = trustedPrincipals.find(
    (pattern) => matchesPattern(pattern, verdict.actor) || isRole(verdict.actor, pattern),
  );
  if (trusted) {
    return skip(`The change was made by ${verdict.actor}, a trusted principal (${trusted}); notify only.`);
  }
  return allow();
}

/** A change CloudFormation made is infrastructure-as-code drift: reported, never fought. */
export function iacGuard(verdict: Pick<Verdict, 'invokedBy' | 'userAgent' | 'actor'>): GuardResult {
  const byCloudFormation =
    verdict.invokedBy === 'cloudformation.amazonaws.com' || /cloudformation/i.test(verdict.userAgent ?? '');
  if (byCloudFormation) {
    return skip(
      `IaC drift: the change was made through CloudFormation (${verdict.actor}); fix the template or stack instead, gatewatch does not fight a deployment.`,
    );
  }
  return allow();
}

/** Past `maxPerWindow` changes to the same resource for the same rule, escalate instead of flapping. */
export function rateLimitGuard(
  recentActions: number,
  limits: Settings['remediation'],
  ruleId: string,
  resourceArn: string,
): GuardResult {
  if (recentActions >= limits.maxPerWindow) {
    return {
      allow: false,
      action: 'escalated',
      reason:
        `gatewatch already remediated ${ruleId} on ${resourceArn} ${recentActions} times in the last ` +
        `${limits.windowMinutes} minutes (limit ${limits.maxPerWindow}); something keeps undoing the fix, so a person must look.`,
    };
  }
  return allow();
}

/** The same event delivered twice is acted on once. */
export function idempotencyGuard(firstDelivery: boolean, eventId: string): GuardResult {
  return firstDelivery
    ? allow()
    : skip(
        `Event ${eventId} was already handled for this rule and resource (delivered twice); nothing more is done.`,
      );
}

/** Re-judged just before acting: act only while the resource is still non-compliant. */
export function stillNonCompliantGuard(status: string, reason: string): GuardResult {
  if (status === 'NON_COMPLIANT') return allow();
  if (status === 'ERROR') return skip(`The resource could not be judged again before acting: ${reason}`);
  return skip(`Read again just before acting, the resource is no longer non-compliant: ${reason}`);
}
