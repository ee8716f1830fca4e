// The targeted reads around a stage's protections: its web ACL (read once per session, or kept
// from the previous state), whether its access log group still exists, and the web-acl and
// log-group targets, which read again every stage a web ACL or log group concerns.
import { logGroupKey } from '../../model/identity';
import type { AccessLogSettings, RestStageSnapshot, Snapshot } from '../../rules/core/resources';
import type { ReadSession } from './live-session';
import { logGroupExists } from './log-groups';
import type { WebAcl } from './schema';
import { listWebAclStages, readWebAcl } from './waf';

/** Reads one stage as its own target would (rest-stage, v2-stage), without the API's snapshot. */
export type StageRead = (stage: { readonly apiId: string; readonly stageName: string }) => Promise<void>;

/** The stages a web ACL protects: those WAF lists now and those the previous state saw with it. */
export async function webAclStages(
  session: ReadSession,
  webAclArn: string,
  readRestStage: StageRead,
): Promise<void> {
  session.freshWebAcls.add(webAclArn);
  // A web ACL deleted meanwhile lists nothing; the stages last seen with it are still read.
  const listed = await session.attempt('ListResourcesForWebACL', webAclArn, [], () =>
    listWebAclStages(session.clients, webAclArn),
  );
  const stages = new Map<string, { apiId: string; stageName: string }>();
  for (const stage of session.previous.stagesWithWebAcl(webAclArn)) stages.set(stage.arn, stage);
  for (const arn of listed ?? []) {
    const match = /\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(arn);
    if (match) stages.set(arn, { apiId: match[1] as string, stageName: match[2] as string });
  }
  for (const stage of stages.values()) await readRestStage(stage);
}

/** A web ACL's contents: the previous stage's when the ARN is unchanged, else read once. */
export async function webAclOf(
  session: ReadSession,
  webAclArn: string | undefined,
  before: RestStageSnapshot | undefined,
): Promise<{ read?: WebAcl; reused?: RestStageSnapshot['webAcl'] }> {
  if (!webAclArn) return {};
  if (!session.freshWebAcls.has(webAclArn) && before?.webAclArn === webAclArn && before.webAcl) {
    return { reused: before.webAcl };
  }
  const webAcl = await session.once(`web-acl ${webAclArn}`, () =>
    session.attempt('GetWebACL', webAclArn, null, () => readWebAcl(session.clients, webAclArn)),
  );
  return webAcl ? { read: webAcl } : {};
}

/** The stages last seen logging to a log group, read afresh; a deleted group marks their access logs. */
export async function logGroupStages(
  session: ReadSession,
  logGroupArn: string,
  read: { readonly rest: StageRead; readonly v2: StageRead },
): Promise<void> {
  const stages: readonly Snapshot[] = session.previous.stagesLoggingTo(logGroupArn);
  if (stages.length === 0) return;
  await logGroupChecked(session, logGroupArn);
  for (const stage of stages) {
    if (stage.kind === 'rest-stage') await read.rest(stage);
    else if (stage.kind === 'v2-stage') await read.v2(stage);
  }
}

/** A destination the previous state saw deleted is checked again while the stage still points at it. */
export async function recheckDestination(
  session: ReadSession,
  before: { readonly accessLog: AccessLogSettings | null } | undefined,
  destinationArn: string | undefined,
): Promise<void> {
  const seen = before?.accessLog;
  if (
    seen?.destinationMissing &&
    destinationArn &&
    logGroupKey(seen.destinationArn) === logGroupKey(destinationArn)
  ) {
    await logGroupChecked(session, destinationArn);
  }
}

/** Whether the log group exists, asked once per session; undefined when it could not be told. */
function logGroupChecked(session: ReadSession, logGroupArn: string): Promise<boolean | undefined> {
  const key = logGroupKey(logGroupArn);
  return session.once(`log-group ${key}`, () =>
    session.attempt('DescribeLogGroups', key, null, async () => {
      const exists = await logGroupExists(session.clients, key);
      if (exists === false) session.missingLogGroups.add(key);
      return exists;
    }),
  );
}
