// Configuration items become the snapshots the collectors produce. The contract: a stage item
// (of the fixtures, and of the recordings when present) and a live read of the same stage (the SDK answering with the same settings)
// give the same snapshot in every field the item records; the rest is fenced off.
import {
  APIGatewayClient,
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStageCommand,
} from '@aws-sdk/client-api-gateway';
import { regionClients } from '../../../aws/clients';
import { fromHistoryItem, isoDate } from '../../../aws/config/history';
import { configResourceOf, snapshotFromItem } from '../../../aws/config/items';
import { NotRecordedByConfig, recordedView } from '../../../aws/config/recorded';
import { LiveReader } from '../../../aws/read/live';
import type { PreviousState } from '../../../aws/read/reader';
import { parseInvokingEvent } from '../../../events/config-invocation';
import type { Snapshot } from '../../../rules/core/resources';
import { describeEachSet, type EventSet } from '../../support/event-sets';
import {
  ACCOUNT,
  changeNotification,
  configFacts,
  fastPacer,
  item,
  REGION,
  recorded,
  STAGE_1,
  STAGE_2,
  V2_STAGE_1,
} from '../../support/pipeline/config';
import { mockClient } from '../../support/sdk';

const apigateway = mockClient(APIGatewayClient);
beforeEach(() => apigateway.reset());

const nothingKnown: PreviousState = {
  snapshot: () => undefined,
  stagesWithWebAcl: () => [],
  stagesLoggingTo: () => [],
};

function itemOf(set: EventSet, file: string) {
  const event = parseInvokingEvent(set.load(file), file);
  if (event.messageType !== 'ConfigurationItemChangeNotification') throw new Error('not an item change');
  return event.configurationItem;
}

describeEachSet('a stage item and a live read of the same stage', (set) => {
  const f = configFacts[set.kind];

  it('give the same snapshot in every field the item records', async () => {
    // Prepare: the item, and AWS answering GetStage with the settings the item recorded
    const configurationItem = itemOf(set, STAGE_1);
    const configuration = configurationItem.configuration as Record<string, unknown>;
    apigateway.on(GetRestApiCommand).resolves({ id: f.restApi.id, name: f.restApi.name });
    apigateway.on(GetStageCommand).resolves({
      ...configuration,
      createdDate: new Date(f.stage1.createdDate),
      lastUpdatedDate: new Date(f.stage1.lastUpdatedDate),
    });
    apigateway.on(GetResourcesCommand).resolves({ items: [{ id: 'r00t', path: '/' }] });
    apigateway.on(GetDeploymentCommand).resolves({ id: f.stage1.deploymentId, apiSummary: {} });
    const clients = regionClients({ region: REGION, pacer: fastPacer() });

    // Act
    const fromItem = snapshotFromItem(configurationItem);
    const live = await new LiveReader(() => clients, configurationItem.awsAccountId).read(
      { kind: 'rest-stage', region: REGION, apiId: f.restApi.id, stageName: f.stage1.name },
      nothingKnown,
    );

    // Assess
    const [liveStage] = live.snapshots as Snapshot[];
    const recordedFields = (snapshot: Snapshot) =>
      Object.fromEntries(Object.entries(snapshot).filter(([field]) => fromItem.known.has(field)));
    expect(recordedFields(fromItem.snapshot)).toEqual(recordedFields(liveStage as Snapshot));
    expect([...fromItem.known].sort()).toEqual(
      [
        'accessLog',
        'accountId',
        'apiId',
        'apiName',
        'arn',
        'cacheClusterEnabled',
        'clientCertificateId',
        'deploymentId',
        'kind',
        'methodSettings',
        'protocol',
        'region',
        'stageName',
        'tags',
        'tracingEnabled',
        'variables',
      ].sort(),
    );
  });

  it('fences off what Config does not record: the served methods and, here, the web ACL', () => {
    const { view, missed } = recordedView(snapshotFromItem(itemOf(set, STAGE_2)));

    expect(() => (view as { methods: unknown }).methods).toThrow(NotRecordedByConfig);
    expect(() => (view as { webAclArn: unknown }).webAclArn).toThrow(NotRecordedByConfig);
    expect((view as { tracingEnabled: boolean }).tracingEnabled).toBe(true);
    expect([...missed]).toEqual(['methods', 'webAclArn']);
  });

  it('HTTP/WebSocket stage items do not say which protocol their API speaks', () => {
    const fromItem = snapshotFromItem(itemOf(set, V2_STAGE_1));

    expect(fromItem.snapshot).toMatchObject({
      kind: 'v2-stage',
      apiId: f.v2Api.id,
      apiName: f.v2Api.name,
      stageName: f.v2Api.stage1,
      defaultRouteSettings: { loggingLevel: 'OFF', dataTraceEnabled: false },
    });
    expect(fromItem.known.has('protocol')).toBe(false);
    expect(fromItem.known.has('defaultRouteSettings')).toBe(true);
  });
});

describe('other item types', () => {
  it('a REST API: its Java-style creation date in ISO 8601, its endpoint type', () => {
    const restApi = item('AWS::ApiGateway::RestApi', `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5`, {
      id: 'a1b2c3d4e5',
      name: 'orders-api',
      createdDate: 'Mar 1, 2024 9:05:07 PM',
      endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] },
    });
    const parsed = parseInvokingEvent(changeNotification(restApi), 'item');
    if (parsed.messageType !== 'ConfigurationItemChangeNotification') throw new Error('unexpected');

    const { snapshot, known } = snapshotFromItem(parsed.configurationItem);

    expect(snapshot).toMatchObject({
      kind: 'rest-api',
      name: 'orders-api',
      createdDate: '2024-03-01T21:05:07.000Z',
      endpointTypes: ['PRIVATE'],
      vpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'],
    });
    expect(known.has('policy')).toBe(false);
    expect(configResourceOf(snapshot)).toEqual({
      resourceType: 'AWS::ApiGateway::RestApi',
      resourceId: `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5`,
    });
  });

  it.each([
    [
      'AWS::ApiGateway::Stage',
      `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/stages/prod`,
      { stageName: 'prod', tracingEnabled: 'yes' },
      'tracingEnabled',
    ],
    [
      'AWS::ApiGatewayV2::Stage',
      `arn:aws:apigateway:${REGION}::/apis/a1b2c3d4e5/stages/prod`,
      { stageName: 'prod', defaultRouteSettings: { loggingLevel: 5 } },
      'defaultRouteSettings.loggingLevel',
    ],
    [
      'AWS::ApiGateway::RestApi',
      `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5`,
      { name: 'orders-api', endpointConfiguration: { types: 'EDGE' } },
      'endpointConfiguration.types',
    ],
    [
      'AWS::ApiGatewayV2::Api',
      `arn:aws:apigateway:${REGION}::/apis/a1b2c3d4e5`,
      { name: ['catalog'] },
      'name',
    ],
  ])(
    '%s: an item of the wrong shape is refused, naming the field',
    (resourceType, arn, configuration, field) => {
      const parsed = parseInvokingEvent(changeNotification(item(resourceType, arn, configuration)), 'item');
      if (parsed.messageType !== 'ConfigurationItemChangeNotification') throw new Error('unexpected');

      expect(() => snapshotFromItem(parsed.configurationItem)).toThrow(
        new RegExp(`^The configuration of ${resourceType} .* is invalid: ${field.split('.').join('\\.')}: `),
      );
    },
  );

  it('an item that is not API Gateway is refused', () => {
    const ec2 = JSON.parse(
      recorded<{ invokingEvent: string }>('config-lambda-event-ConfigurationItemChange-docsample.json')
        .invokingEvent,
    );

    expect(() => snapshotFromItem(ec2.configurationItem)).toThrow('AWS::EC2::Instance');
  });
});

describe('dates and history items', () => {
  it.each([
    ['Feb 21, 2019 8:10:53 AM', '2019-02-21T08:10:53.000Z'],
    ['Apr 13, 2019 6:06:01 PM', '2019-04-13T18:06:01.000Z'],
    ['Dec 4, 2018 12:09:21 AM', '2018-12-04T00:09:21.000Z'],
    ['Dec 4, 2018 12:09:21 PM', '2018-12-04T12:09:21.000Z'],
    ['2019-02-21T08:10:53.890Z', '2019-02-21T08:10:53.890Z'],
    [1550736653, '2019-02-21T08:10:53.000Z'],
  ])('%s → %s', (value, iso) => {
    expect(isoDate(value)).toBe(iso);
  });

  it('a GetResourceConfigHistory item becomes the invoking event shape', () => {
    const converted = fromHistoryItem({
      accountId: ACCOUNT,
      configurationItemCaptureTime: new Date('2019-04-13T18:06:02.230Z'),
      configurationItemStatus: 'OK',
      arn: 'arn:aws:apigateway:us-east-1::/restapis/k7m2p9q4ab/stages/sandbox',
      resourceType: 'AWS::ApiGateway::Stage',
      resourceId: 'arn:aws:apigateway:us-east-1::/restapis/k7m2p9q4ab/stages/sandbox',
      awsRegion: REGION,
      relationships: [
        {
          resourceType: 'AWS::ApiGateway::RestApi',
          resourceName: 'billing-api',
          relationshipName: 'Is contained in ',
        },
      ],
      configuration: '{"stageName":"sandbox","tracingEnabled":false}',
    });

    expect(converted).toMatchObject({
      awsAccountId: ACCOUNT,
      configurationItemCaptureTime: '2019-04-13T18:06:02.230Z',
      ARN: 'arn:aws:apigateway:us-east-1::/restapis/k7m2p9q4ab/stages/sandbox',
      configuration: { stageName: 'sandbox', tracingEnabled: false },
      relationships: [{ resourceName: 'billing-api', name: 'Is contained in ' }],
    });
  });
});
