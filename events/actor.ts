// Who made a change: the principal behind a CloudTrail record, as a verdict names it.

import { assumedRoleArn, parseRoleArn } from '../model/identity';
import type { Actor } from '../model/verdict';
import { nonEmpty } from './request';
import type { CloudTrailRecord } from './schema';

/** An assumed role's session ARN from its issuer's role ARN (STS drops the role's path). */
function sessionArn(issuerArn: string, session: string | undefined): string {
  const role = parseRoleArn(issuerArn);
  if (session === undefined) return issuerArn;
  if (role === undefined) return `${issuerArn}/${session}`;
  return assumedRoleArn(role.partition, role.accountId, role.roleName, session);
}

/**
 * The principal behind a call, never empty: its ARN; else the session ARN rebuilt from the
 * session issuer; else `type:principalId`; else the invoking service.
 */
export function actorOf(record: CloudTrailRecord): Actor {
  const identity = record.userIdentity;
  const issuerArn = nonEmpty(identity.sessionContext?.sessionIssuer?.arn);
  const principalId = nonEmpty(identity.principalId);
  const session = principalId?.includes(':') ? principalId.slice(principalId.indexOf(':') + 1) : undefined;
  const invokedBy = nonEmpty(identity.invokedBy);
  const principal =
    nonEmpty(identity.arn) ??
    (issuerArn === undefined ? undefined : sessionArn(issuerArn, session)) ??
    (principalId === undefined ? undefined : `${identity.type}:${principalId}`) ??
    (invokedBy === undefined ? undefined : `${identity.type}:${invokedBy}`) ??
    nonEmpty(identity.type) ??
    'unknown principal';
  return {
    principal,
    sourceIp: nonEmpty(record.sourceIPAddress) ?? null,
    userAgent: nonEmpty(record.userAgent) ?? null,
    invokedBy: invokedBy ?? null,
  };
}
