// Reading (and, for the remediator, writing) another account of the organization: the central
// functions assume a role the member stack created in that account and region, and use its
// temporary credentials with the same clients and pacing as their own. The home account — where
// the functions run — is read with the functions' own role. Credentials are assumed when a client
// first needs them and again shortly before they expire; a refusal (no member stack there, a
// trust that does not match) is an error that names the role and is classified as denied, so the
// resource is reported as "could not evaluate" and the other accounts go on.

import { AssumeRoleCommand, type AssumeRoleCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { arnIn } from '../model/identity';
import { processCallBudget } from './call-budget';
import {
  type AwsCredentials,
  type Bucket,
  classifyError,
  Pacer,
  type RegionClients,
  regionClients,
  type SharedTokens,
} from './clients';
import { type Rate, realClock } from './rate-limit';

/** The roles the member stack creates, one set per region (IAM is global; a StackSet instance is regional). */
export type MemberRole = 'reader' | 'remediator' | 'evaluator';

/** `gatewatch-reader-eu-west-1`: what the member template names each role, and what the central functions assume. */
export const memberRoleName = (role: MemberRole, region: string) => `gatewatch-${role}-${region}`;

/** IAM is global, but its ARNs carry the partition: the member region's. */
export const memberRoleArn = (accountId: string, role: MemberRole, region: string) =>
  arnIn('iam', '', accountId, `role/${memberRoleName(role, region)}`, region);

/** The CloudWatch Logs role the member stack creates for API Gateway's account settings in its region. */
export const memberCloudWatchRoleName = (region: string) => `gatewatch-apigateway-logs-${region}`;

/** Assumed credentials are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;
/** One hour: the longest a role chained from a Lambda function's role may be assumed for. */
const SESSION_SECONDS = 3600;

/** A member account's role could not be assumed: classified as denied, like the reads it prevents. */
export class MemberAccessError extends Error {
  override readonly name = 'AssumeRoleAccessDenied';

  constructor(
    readonly roleArn: string,
    readonly accountId: string,
    readonly code: string,
    detail: string,
  ) {
    super(
      `gatewatch could not assume ${roleArn} in account ${accountId} (${code}: ${detail}); is the gatewatch member stack deployed there, and does its trust name this central account?`,
    );
  }
}

export interface AccountAccessOptions {
  /** The account the functions run in: read with their own role, never through a member role. */
  readonly homeAccountId: string;
  /** Which member role to assume. */
  readonly role: MemberRole;
  /** Names the sessions in the member's CloudTrail (`gatewatch-drift`): who read or changed what. */
  readonly sessionName: string;
  /** STS for AssumeRole (paced here, on its own quota share). */
  readonly sts?: STSClient;
  readonly maxAttempts?: number;
  readonly now?: () => Date;
  /** The pacing of each account's calls (the documented quotas' shares by default). */
  readonly rates?: Partial<Record<Bucket, Rate>>;
  /** The call budget each account and region's requests also take from (aws/call-budget.ts). */
  readonly budget?: { tokensFor(accountId: string, region: string): SharedTokens };
  /** Clients for a region with given credentials and pacer (tests pass mocked ones). */
  readonly clientsFor?: (
    region: string,
    pacer: Pacer,
    credentials?: () => Promise<AwsCredentials>,
  ) => RegionClients;
}

/** Paced clients per account and region, the account's own quota shared by its reads. */
export class AccountAccess {
  private readonly access = new Map<string, RegionClients>();
  private readonly sessions = new Map<string, { credentials: Promise<AwsCredentials>; renewAt: number }>();
  private readonly sts: STSClient;
  private readonly now: () => Date;
  private readonly clientsFor: NonNullable<AccountAccessOptions['clientsFor']>;

  constructor(private readonly options: AccountAccessOptions) {
    this.sts = new Pacer().attach(
      options.sts ?? new STSClient({ maxAttempts: options.maxAttempts ?? 5 }),
      'sts',
    );
    this.now = options.now ?? (() => new Date());
    this.clientsFor =
      options.clientsFor ??
      ((region, pacer, credentials) =>
        regionClients({
          region,
          maxAttempts: options.maxAttempts ?? 5,
          pacer,
          ...(credentials ? { credentials } : {}),
        }));
  }

  /** The `regionAccess` a LiveReader, collector or remediator takes, for one account. */
  forAccount(accountId: string): (region: string) => RegionClients {
    return (region) => this.regionAccess(accountId, region);
  }

  regionAccess(accountId: string, region: string): RegionClients {
    const key = `${accountId}|${region}`;
    let found = this.access.get(key);
    if (!found) {
      const credentials = this.isHome(accountId) ? undefined : () => this.credentials(accountId, region);
      const pacer = new Pacer(
        this.options.rates,
        realClock,
        this.options.budget?.tokensFor(accountId, region),
      );
      found = this.clientsFor(region, pacer, credentials);
      this.access.set(key, found);
    }
    return found;
  }

  isHome(accountId: string): boolean {
    return accountId === this.options.homeAccountId;
  }

  roleArn(accountId: string, region: string): string {
    return memberRoleArn(accountId, this.options.role, region);
  }

  /**
   * The member role's credentials for the account and region, assumed once and renewed before they
   * expire. Throws a MemberAccessError when AWS refuses; other failures (throttling, a network
   * error) are thrown as they are, so the caller retries.
   */
  credentials(accountId: string, region: string): Promise<AwsCredentials> {
    const key = `${accountId}|${region}`;
    const session = this.sessions.get(key);
    if (session && session.renewAt > this.now().getTime()) return session.credentials;
    const credentials = this.assume(accountId, region);
    this.sessions.set(key, { credentials, renewAt: Number.POSITIVE_INFINITY });
    credentials.then(
      (assumed) =>
        this.sessions.set(key, {
          credentials,
          renewAt: (assumed.expiration?.getTime() ?? this.now().getTime()) - RENEW_BEFORE_MS,
        }),
      // A refusal is not remembered: the next read asks again (the stack may have arrived since).
      () => this.sessions.delete(key),
    );
    return credentials;
  }

  private async assume(accountId: string, region: string): Promise<AwsCredentials> {
    const roleArn = this.roleArn(accountId, region);
    let answer: AssumeRoleCommandOutput;
    try {
      answer = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName.slice(0, 64),
          DurationSeconds: SESSION_SECONDS,
        }),
      );
    } catch (error) {
      const { kind, code, message } = classifyError(error);
      if (kind === 'denied' || kind === 'gone')
        throw new MemberAccessError(roleArn, accountId, code, message);
      throw error;
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = answer.Credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey) {
      throw new MemberAccessError(roleArn, accountId, 'NoCredentials', 'STS answered without credentials');
    }
    return {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      ...(SessionToken ? { sessionToken: SessionToken } : {}),
      ...(Expiration ? { expiration: Expiration } : {}),
    };
  }
}

/**
 * The central functions' access to member accounts, when the stack deployed them for an
 * organization (GATEWATCH_HOME_ACCOUNT is set); undefined for a one-account deployment.
 */
export function accountAccessFromEnvironment(
  role: MemberRole,
  sessionName: string,
  environment: NodeJS.ProcessEnv = process.env,
): AccountAccess | undefined {
  const home = environment.GATEWATCH_HOME_ACCOUNT;
  if (!home) return undefined;
  return new AccountAccess({
    homeAccountId: home,
    role,
    sessionName,
    ...(environment === process.env ? { budget: processCallBudget() } : {}),
  });
}
