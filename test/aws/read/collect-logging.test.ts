// Collecting the logging path (aws/read/collect-logging.ts): a few calls per region,
// none per API; shadow and organization trails read by ARN; a denied read recorded, never passed.
import { GetAccountCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { GetApisCommand, GetDomainNamesCommand } from '@aws-sdk/client-apigatewayv2';
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, IAMServiceException } from '@aws-sdk/client-iam';
import { regionClients } from '../../../aws/clients';
import { collectRegion } from '../../../aws/read/collect';
import { needsLoggingPath } from '../../../aws/read/collect-logging';
import { normaliseRegion } from '../../../aws/read/normalise';
import { catalog } from '../../../rules/index';
import { fastPacer, mockClient } from '../../support/sdk';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:999988887777:trail/o-a1b2c3d4e5/org-trail';

function givenAccount() {
  const clients = regionClients({ region: REGION, pacer: fastPacer(), maxAttempts: 1 });
  const apigateway = mockClient(clients.apigateway);
  const apigatewayv2 = mockClient(clients.apigatewayv2);
  const cloudtrail = mockClient(clients.cloudtrail);
  const iam = mockClient(clients.iam);
  const logs = mockClient(clients.logs);
  apigateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/logs/apigw` });
  apigateway.on(GetRestApisCommand).resolves({ items: [] });
  apigatewayv2.on(GetApisCommand).resolves({ Items: [] });
  apigatewayv2.on(GetDomainNamesCommand).resolves({ Items: [] });
  cloudtrail.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 'org-trail',
        TrailARN: ORG_TRAIL,
        HomeRegion: 'us-east-1',
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
      },
    ],
  });
  cloudtrail.on(GetTrailStatusCommand, { Name: ORG_TRAIL }).resolves({ IsLogging: true });
  cloudtrail.on(GetEventSelectorsCommand, { TrailName: ORG_TRAIL }).resolves({
    TrailARN: ORG_TRAIL,
    AdvancedEventSelectors: [
      {
        Name: 'Management events',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'readOnly', Equals: ['false'] },
        ],
      },
    ],
  });
  logs.on(DescribeResourcePoliciesCommand).resolves({ resourcePolicies: [] });
  iam.on(GetRoleCommand, { RoleName: 'apigw' }).resolves({
    Role: {
      Path: '/logs/',
      RoleName: 'apigw',
      RoleId: 'AROAEXAMPLE',
      Arn: `arn:aws:iam::${ACCOUNT}:role/logs/apigw`,
      CreateDate: new Date('2024-01-15T09:30:00Z'),
      AssumeRolePolicyDocument: encodeURIComponent(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
      ),
    },
  });
  return { clients, cloudtrail, iam };
}

describe('collecting the logging path', () => {
  it('is read only when a rule needs it', () => {
    expect(needsLoggingPath(catalog)).toBe(true);
    expect(needsLoggingPath(catalog.filter((rule) => !rule.id.startsWith('account-')))).toBe(false);
  });

  it('reads trails by ARN, the resource policies and the role by name: 5 calls for the region', async () => {
    // Prepare
    const { clients } = givenAccount();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, {
      metricsDays: 0,
      loggingPath: true,
    });

    // Assess
    expect(clients.pacer.stats.calls).toMatchObject({
      DescribeTrails: 1,
      GetTrailStatus: 1,
      GetEventSelectors: 1,
      DescribeResourcePolicies: 1,
      GetRole: 1,
    });
    expect(inventory.errors).toEqual([]);
    const [account] = normaliseRegion(inventory).estate.accounts;
    expect(account).toMatchObject({
      trails: [
        {
          name: 'org-trail',
          organization: true,
          logging: true,
          selectors: { kind: 'advanced', selectors: [{ name: 'Management events' }] },
        },
      ],
      logResourcePolicies: [],
      httpAccessLogGroups: [],
      cloudwatchRole: { state: 'found', arn: `arn:aws:iam::${ACCOUNT}:role/logs/apigw` },
    });
  });

  it('records a denied read and says so, rather than an empty answer', async () => {
    // Prepare
    const { clients, cloudtrail, iam } = givenAccount();
    const denied = (action: string) =>
      new IAMServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: `not authorized to perform: ${action}`,
        $metadata: { httpStatusCode: 403 },
      });
    cloudtrail.on(DescribeTrailsCommand).rejects(denied('cloudtrail:DescribeTrails'));
    iam.on(GetRoleCommand).rejects(denied('iam:GetRole'));

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, {
      metricsDays: 0,
      loggingPath: true,
    });

    // Assess
    expect(inventory.errors.map((error) => [error.operation, error.kind])).toEqual([
      ['GetRole', 'denied'],
      ['DescribeTrails', 'denied'],
    ]);
    const [account] = normaliseRegion(inventory).estate.accounts;
    expect(account).toMatchObject({ trails: null, cloudwatchRole: { state: 'unreadable' } });
  });

  it('is not read without being asked for: an inventory without it, as before', async () => {
    // Prepare
    const { clients } = givenAccount();

    // Act
    const inventory = await collectRegion(clients, ACCOUNT, REGION, { metricsDays: 0 });

    // Assess
    expect(inventory.loggingPath).toBeUndefined();
    expect(Object.keys(clients.pacer.stats.calls).sort()).toEqual([
      'GetAccount',
      'GetApis',
      'GetDomainNames',
      'GetRestApis',
    ]);
  });
});
