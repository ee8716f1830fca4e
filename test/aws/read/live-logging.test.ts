// The drift path's reads of the logging path (aws/read/live.ts): an account target
// reads the parts the event can have changed and keeps the others; a trail or an IAM role event
// re-reads the account settings of every region the previous state knows that it can affect.
import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { GetApisCommand, GetStagesCommand } from '@aws-sdk/client-apigatewayv2';
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { regionClients } from '../../../aws/clients';
import { LiveReader } from '../../../aws/read/live';
import type { PreviousState } from '../../../aws/read/reader';
import { accountArn } from '../../../model/identity';
import type { AccountSnapshot } from '../../../rules/core/resources';
import { fastPacer, mockClient } from '../../support/sdk';

const ACCOUNT = '123456789012';
const EU = 'eu-west-1';
const US = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs`;
const TRAIL = `arn:aws:cloudtrail:${US}:${ACCOUNT}:trail/management-events`;
const trust = encodeURIComponent(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  }),
);

function givenAws() {
  const clients = regionClients({ region: EU, pacer: fastPacer(), maxAttempts: 1 });
  const apigateway = mockClient(clients.apigateway);
  const apigatewayv2 = mockClient(clients.apigatewayv2);
  const cloudtrail = mockClient(clients.cloudtrail);
  const iam = mockClient(clients.iam);
  const logs = mockClient(clients.logs);
  const regions: string[] = [];
  const reader = new LiveReader((region) => {
    regions.push(region);
    return clients;
  }, ACCOUNT);
  apigateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: ROLE });
  iam.on(GetRoleCommand).resolves({
    Role: {
      Path: '/',
      RoleName: 'apigateway-cloudwatch-logs',
      RoleId: 'AROAEXAMPLE',
      Arn: ROLE,
      CreateDate: new Date('2024-01-15T09:30:00Z'),
      AssumeRolePolicyDocument: trust,
    },
  });
  cloudtrail.on(DescribeTrailsCommand).resolves({
    trailList: [{ Name: 'management-events', TrailARN: TRAIL, HomeRegion: US, IsMultiRegionTrail: true }],
  });
  cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
  cloudtrail
    .on(GetEventSelectorsCommand)
    .resolves({ TrailARN: TRAIL, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
  logs.on(DescribeResourcePoliciesCommand).resolves({ resourcePolicies: [] });
  apigatewayv2.on(GetApisCommand).resolves({
    Items: [
      {
        ApiId: 'h1t2p3',
        Name: 'orders-http',
        ProtocolType: 'HTTP',
        RouteSelectionExpression: '$request.method $request.path',
      },
    ],
  });
  apigatewayv2.on(GetStagesCommand).resolves({
    Items: [
      {
        StageName: '$default',
        AccessLogSettings: {
          DestinationArn: `arn:aws:logs:${EU}:${ACCOUNT}:log-group:orders-http`,
          Format: '{}',
        },
      },
    ],
  });
  return { reader, clients, iam, regions };
}

const knownAccount = (region: string, overrides: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
  kind: 'account',
  arn: accountArn(region),
  region,
  accountId: ACCOUNT,
  tags: {},
  cloudwatchRoleArn: ROLE,
  cloudwatchRole: { state: 'found', arn: ROLE, trustPolicy: null },
  trails: [],
  logResourcePolicies: [],
  httpAccessLogGroups: [],
  ...overrides,
});

function previousOf(...accounts: AccountSnapshot[]): PreviousState {
  return {
    snapshot: (arn) => accounts.find((account) => account.arn === arn),
    stagesWithWebAcl: () => [],
    stagesLoggingTo: () => [],
    accounts: () => accounts,
  };
}

describe('LiveReader: the logging path', () => {
  it('account with cloudwatch-role: GetAccount + GetRole; the trails and policies kept from before', async () => {
    // Prepare
    const { reader, clients } = givenAws();
    const before = knownAccount(EU);

    // Act
    const read = await reader.read(
      { kind: 'account', region: EU, reads: 'cloudwatch-role' },
      previousOf(before),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({ GetAccount: 1, GetRole: 1 });
    const [account] = read.snapshots as AccountSnapshot[];
    expect(account?.cloudwatchRole).toMatchObject({ state: 'found', arn: ROLE });
    expect(
      account?.cloudwatchRole?.state === 'found' && account.cloudwatchRole.trustPolicy?.Statement,
    ).toHaveLength(1);
    expect(account).toMatchObject({ trails: [], logResourcePolicies: [], httpAccessLogGroups: [] });
  });

  it('a role IAM no longer has is read as missing, not as a failed read', async () => {
    // Prepare
    const { reader, iam } = givenAws();
    iam.on(GetRoleCommand).rejects(
      new NoSuchEntityException({
        message: 'The role cannot be found.',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    // Act
    const read = await reader.read({ kind: 'account', region: EU, reads: 'cloudwatch-role' }, previousOf());

    // Assess
    expect(read.problems).toEqual([]);
    expect((read.snapshots[0] as AccountSnapshot).cloudwatchRole).toEqual({ state: 'missing' });
  });

  it('a trail event re-reads the trails of every region the previous state knows, not the event’s own', async () => {
    // Prepare
    const { reader, clients, regions } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'trail', region: US, trail: TRAIL },
      previousOf(knownAccount(EU), knownAccount('eu-central-1')),
    );

    // Assess
    expect(regions).toEqual([EU, 'eu-central-1']);
    expect(read.snapshots.map((snapshot) => snapshot.region)).toEqual([EU, 'eu-central-1']);
    expect(clients.pacer.stats.calls).toEqual({
      GetAccount: 2,
      DescribeTrails: 2,
      GetTrailStatus: 2,
      GetEventSelectors: 2,
    });
    expect((read.snapshots[0] as AccountSnapshot).trails).toEqual([
      expect.objectContaining({
        name: 'management-events',
        logging: false,
        multiRegion: true,
        homeRegion: US,
      }),
    ]);
  });

  it('an IAM role event re-reads the regions whose settings name that role, and no other', async () => {
    // Prepare
    const { reader, regions } = givenAws();
    const other = knownAccount('eu-central-1', { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/other` });

    // Act
    const read = await reader.read(
      { kind: 'iam-role', region: US, roleName: 'apigateway-cloudwatch-logs' },
      previousOf(knownAccount(EU), other),
    );

    // Assess
    expect(regions).toEqual([EU]);
    expect(read.snapshots).toHaveLength(1);
  });

  it('log-resource-policies with nothing known: the HTTP stages are listed for their log groups', async () => {
    // Prepare
    const { reader, clients } = givenAws();

    // Act
    const read = await reader.read(
      { kind: 'account', region: EU, reads: 'log-resource-policies' },
      previousOf(),
    );

    // Assess
    expect(clients.pacer.stats.calls).toEqual({
      GetAccount: 1,
      DescribeResourcePolicies: 1,
      GetApis: 1,
      GetStages: 1,
    });
    expect(read.snapshots[0]).toMatchObject({
      logResourcePolicies: [],
      httpAccessLogGroups: [
        {
          logGroupArn: `arn:aws:logs:${EU}:${ACCOUNT}:log-group:orders-http`,
          stages: [`arn:aws:apigateway:${EU}::/apis/h1t2p3/stages/$default`],
        },
      ],
    });
    expect(read.snapshots[0]).not.toHaveProperty('cloudwatchRole');
  });
});
