// Reaching member accounts: the central functions assume the member stack's role for the account
// and region, once, renew it before it expires, ask again after a refusal (the member stack may
// have arrived since), never assume anything for the home account, and keep each account's state
// apart in the one table the organization shares.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import 'aws-sdk-client-mock-jest';
import { AccountAccess, MemberAccessError, memberRoleArn } from '../../aws/accounts';
import { classifyError } from '../../aws/clients';
import { accountBaseline, accountRemediationStore, baselineAccounts } from '../../aws/stores/account-scoped';
import { MemoryBaselineStore } from '../../aws/stores/baseline-memory';
import { MemoryRemediationStore } from '../../model/ledger';
import type { BaselineEntry } from '../../model/stores';
import { sdkFault } from '../support/aws-faults';
import { metadata } from '../support/in-process-aws';
import { mockClient } from '../support/sdk';

const HOME = '111122223333';
const MEMBER = '444455556666';
const REGION = 'eu-west-1';
const T0 = new Date('2026-11-23T12:00:00.000Z');

const sts = mockClient(STSClient);
afterEach(() => sts.reset());
afterAll(() => sts.restore());

const answer = (expiration: Date, key = 'ASIAEXAMPLEMEMBER001') => ({
  Credentials: {
    AccessKeyId: key,
    SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    SessionToken: 'FwoGZXIvYXdzEXAMPLE',
    Expiration: expiration,
  },
  AssumedRoleUser: {
    AssumedRoleId: 'AROAEXAMPLEREADER:gatewatch-drift',
    Arn: `arn:aws:sts::${MEMBER}:assumed-role/gatewatch-reader-${REGION}/gatewatch-drift`,
  },
  $metadata: metadata,
});

function access(now: () => Date) {
  return new AccountAccess({
    homeAccountId: HOME,
    role: 'reader',
    sessionName: 'gatewatch-drift',
    sts: new STSClient({ region: REGION }),
    now,
  });
}

describe('member credentials', () => {
  it('are assumed once per account and region, and renewed five minutes before they expire', async () => {
    // Prepare
    let now = T0;
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(answer(new Date(T0.getTime() + 3600_000)))
      .resolves(answer(new Date(T0.getTime() + 7200_000), 'ASIAEXAMPLEMEMBER002'));
    const members = access(() => now);
    // Act
    const first = await members.credentials(MEMBER, REGION);
    const again = await members.credentials(MEMBER, REGION);
    now = new Date(T0.getTime() + 56 * 60_000);
    const renewed = await members.credentials(MEMBER, REGION);
    // Assess
    expect(first.accessKeyId).toBe('ASIAEXAMPLEMEMBER001');
    expect(again).toBe(first);
    expect(renewed.accessKeyId).toBe('ASIAEXAMPLEMEMBER002');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: memberRoleArn(MEMBER, 'reader', REGION),
      RoleSessionName: 'gatewatch-drift',
      DurationSeconds: 3600,
    });
  });

  it('refused: an error that names the role and reads as denied; the next read asks again', async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(sdkFault('denied', 'sts', 'AssumeRole'))
      .resolves(answer(new Date(T0.getTime() + 3600_000)));
    const members = access(() => T0);
    // Act
    const refused = await members.credentials(MEMBER, REGION).catch((error: unknown) => error);
    const later = await members.credentials(MEMBER, REGION);
    // Assess
    expect(refused).toBeInstanceOf(MemberAccessError);
    expect((refused as Error).message).toMatch(
      /could not assume arn:aws:iam::444455556666:role\/gatewatch-reader-eu-west-1 in account 444455556666/,
    );
    expect(classifyError(refused).kind).toBe('denied');
    expect(later.accessKeyId).toBe('ASIAEXAMPLEMEMBER001');
  });

  it('throttled: thrown as it is, to be retried', async () => {
    sts.on(AssumeRoleCommand).rejects(sdkFault('throttled', 'sts', 'AssumeRole'));
    const error = await access(() => T0)
      .credentials(MEMBER, REGION)
      .catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(MemberAccessError);
    expect((error as Error).name).toBe('ThrottlingException');
  });

  it('are never assumed for the home account: its clients use the function’s own role', async () => {
    const members = access(() => T0);
    const home = members.regionAccess(HOME, REGION);
    const member = members.regionAccess(MEMBER, REGION);
    expect(members.isHome(HOME)).toBe(true);
    expect(home).toBe(members.regionAccess(HOME, REGION));
    expect(member).not.toBe(home);
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
  });
});

describe('one table for the organization', () => {
  const entry = (arn: string, accountId: string): BaselineEntry =>
    ({
      arn,
      snapshot: { kind: 'account', arn, accountId, region: REGION },
      rules: {},
      observedAt: T0.toISOString(),
    }) as unknown as BaselineEntry;

  it('keeps each account’s state apart, though API Gateway ARNs name no account', async () => {
    // Prepare: both accounts' API Gateway settings have the same ARN.
    const shared = new MemoryBaselineStore();
    const arn = `arn:aws:apigateway:${REGION}::/account`;
    const home = accountBaseline(shared, HOME);
    const member = accountBaseline(shared, MEMBER);
    // Act
    await home.put(entry(arn, HOME));
    await member.put(entry(arn, MEMBER));
    // Assess
    expect((await home.get(arn))?.snapshot.accountId).toBe(HOME);
    expect((await member.get(arn))?.snapshot.accountId).toBe(MEMBER);
    expect((await member.list()).map((found) => found.arn)).toEqual([arn]);
    expect(await baselineAccounts(shared)).toEqual([HOME, MEMBER]);
  });

  it('counts remediations per account for the rate limit', async () => {
    const shared = new MemoryRemediationStore();
    const arn = `arn:aws:apigateway:${REGION}::/account`;
    await accountRemediationStore(shared, HOME).recordAction('account-cloudwatch-role', arn, T0, 60);
    const since = new Date(T0.getTime() - 60_000);
    expect(
      await accountRemediationStore(shared, HOME).actionsSince('account-cloudwatch-role', arn, since),
    ).toBe(1);
    expect(
      await accountRemediationStore(shared, MEMBER).actionsSince('account-cloudwatch-role', arn, since),
    ).toBe(0);
  });
});
