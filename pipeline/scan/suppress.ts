// Settings applied to a scan's findings exactly as the deployed remediator applies them: an
// exemption in force or the opt-out tag (on the resource or its API) stops gatewatch acting on
// a finding; in a scan such a finding is still reported, marked suppressed with the reason the
// guard gives, and never fails `--fail-on`. Expired exemptions that match are reported.

import { apiArnOf } from '../../model/identity';
import type { Finding } from '../../rules/core/judge';
import { describeResource, type Estate, type Snapshot } from '../../rules/core/resources';
import { sentence } from '../../rules/core/text';
import type { Settings } from '../../settings/schema';
import { exemptionGuard, optOutGuard } from '../remediate/guards';

export interface Suppression {
  /** The guard that holds the finding back: an exemption in the settings, or the opt-out tag. */
  readonly kind: 'exemption' | 'opt-out';
  /** The guard's own sentence, as the remediator writes it into a notification. */
  readonly reason: string;
}

export type ScanFinding = Finding & { readonly suppressed?: Suppression };

export interface Suppressed {
  readonly findings: readonly ScanFinding[];
  /** One sentence per expired exemption that matched a finding (it no longer applies). */
  readonly expiredExemptions: readonly string[];
}

const needsAttention = (finding: Finding) => finding.status === 'NON_COMPLIANT' || finding.status === 'ERROR';

export function suppressFindings(
  findings: readonly Finding[],
  estate: Estate,
  settings: Pick<Settings, 'exemptions' | 'optOutTagKey'>,
  now: Date,
): Suppressed {
  const byArn = new Map<string, Snapshot>();
  for (const list of Object.values(estate) as (readonly Snapshot[])[]) {
    for (const snapshot of list) byArn.set(snapshot.arn, snapshot);
  }
  const expired = new Set<string>();
  const out = findings.map((finding): ScanFinding => {
    if (!needsAttention(finding)) return finding;
    const exemption = exemptionGuard(settings.exemptions, finding.ruleId, finding.resourceArn, now);
    if (!exemption.allow) return { ...finding, suppressed: { kind: 'exemption', reason: exemption.reason } };
    for (const note of exemption.notes ?? []) expired.add(note);
    const optOut = optOutGuard(settings.optOutTagKey, finding.ruleId, taggedOf(finding, byArn));
    if (!optOut.allow) return { ...finding, suppressed: { kind: 'opt-out', reason: optOut.reason } };
    return finding;
  });
  return { findings: out, expiredExemptions: [...expired] };
}

/** The resource and its API, with their tags, in the order the remediator checks them. */
function taggedOf(finding: Finding, byArn: ReadonlyMap<string, Snapshot>) {
  const snapshot = byArn.get(finding.resourceArn);
  if (!snapshot) return [];
  const tagged = [{ what: sentence(describeResource(snapshot)), tags: snapshot.tags }];
  const apiArn = apiArnOf(snapshot.arn);
  const api =
    apiArn && apiArn !== snapshot.arn && snapshot.kind !== 'v2-route' ? byArn.get(apiArn) : undefined;
  if (api && (api.kind === 'rest-api' || api.kind === 'v2-api')) {
    tagged.push({ what: `Its API ${api.name}`, tags: api.tags });
  }
  return tagged;
}
