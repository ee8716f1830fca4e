import { actorOf } from '../../events/actor';
import { type CatalogEntry, eventCatalog } from '../../events/catalog';
import { generationOf, patchOperations } from '../../events/request';
import { resolveEvent } from '../../events/resolve';
import { type CloudTrailRecord, parseEvents } from '../../events/schema';
import type { Target } from '../../events/targets';
import {
  EVENT_PATTERN_MAX_CHARS,
  type EventPattern,
  eventBridgeSources,
  eventPatterns,
  globalRegionEventPatterns,
} from '../../infra/event-patterns';
import { REGIONAL_EVENT_SOURCES } from '../../rules/core/trails';
import { type BySet, describeEachSet, type EventSet, fixtures } from '../support/event-sets';
import { record as deleteAuthorizer } from './fixtures/apigateway-DeleteAuthorizer';
import { record as updateMethod } from './fixtures/apigateway-UpdateMethod-authorization-none';
import { record as updateStage } from './fixtures/apigateway-UpdateStage-logging-off';
import { deleteResourcePolicy, deleteRole, stopLogging } from './fixtures/logging-path';
import { record as associateWebAcl } from './fixtures/wafv2-AssociateWebACL-rest-stage';

const recordOf = (set: EventSet, name: string): CloudTrailRecord => {
  const [event] = parseEvents(set.load(name), name);
  if (event === undefined) throw new Error(`${name} holds no record`);
  return event.record;
};
/** A fixture's record, for the tests that only need a realistic base to change. */
const recorded = (name: string): CloudTrailRecord => recordOf(fixtures, name);
const handMade = (json: unknown, name: string): CloudTrailRecord => {
  const [event] = parseEvents(json, name);
  if (event === undefined) throw new Error(`${name} holds no record`);
  return event.record;
};
/** A fixture's record with some request parameters replaced. */
const withParams = (
  name: string,
  params: Record<string, unknown>,
  extra: Partial<CloudTrailRecord> = {},
) => ({
  ...recorded(name),
  requestParameters: params,
  ...extra,
});

const READ_ONLY_NAME = /^(Get|List|Describe|Lookup|Search)/;

/** What each CloudTrail file resolves to: the same outcomes, on each set's own resources. */
const expectedTargets: BySet<Record<string, readonly Target[] | string>> = {
  fixtures: {
    'apigateway-CreateDeployment-1.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: 'k7m2p9q4ab', stageName: 'qa' },
    ],
    // The console's "new stage" flow: `stageName: ""`, the stage comes next.
    'apigateway-CreateDeployment-2.json': [{ kind: 'rest-stages', region: 'us-east-1', apiId: 'k7m2p9q4ab' }],
    'apigateway-CreateStage-1.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: 'k7m2p9q4ab', stageName: 'preview' },
    ],
    'apigateway-CreateStage-2.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: 'k7m2p9q4ab', stageName: 'qa' },
    ],
    'apigateway-CreateStage-3.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: 't9u8v7w6xy', stageName: 'current' },
    ],
    'apigateway-GetResource-docsample.json': 'read-only',
    'apigatewayv2-CreateStage-1.json': [
      { kind: 'v2-stage', region: 'eu-central-1', apiId: 'm3n4b5v6c7', stageName: 'live' },
    ],
    'apigatewayv2-UpdateRoute-1.json': [
      { kind: 'v2-route', region: 'eu-central-1', apiId: 'm3n4b5v6c7', routeId: 'r8s2k4p' },
    ],
    'cloudwatchlogs-DeleteLogGroup-1.json': [
      {
        kind: 'log-group',
        region: 'us-east-1',
        logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigateway/billing-api-access',
      },
    ],
    // The tag lands on a stage: `resourceArn` at the top level, the tags wrapped in tagResourceInput.
    'eventbridge-envelope-apigateway-TagResource-1.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: 't9u8v7w6xy', stageName: 'edge' },
    ],
    'wafv2-DeleteWebACL-1.json': [
      {
        kind: 'web-acl',
        region: 'us-east-1',
        webAclArn:
          'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/billing-edge-acl/2f4a6c8e-0b1d-4e3f-a5c7-9e1b3d5f7a90',
      },
    ],
    // A load balancer: quietly not ours.
    'wafv2-DisassociateWebACL-1.json': 'not an API Gateway resource',
  },
  recordings: {
    'apigateway-CreateDeployment-1.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: '67ge356u6d', stageName: 'test' },
    ],
    'apigateway-CreateDeployment-2.json': [{ kind: 'rest-stages', region: 'us-east-1', apiId: '67ge356u6d' }],
    'apigateway-CreateStage-1.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: '67ge356u6d', stageName: 'new' },
    ],
    'apigateway-CreateStage-2.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: '67ge356u6d', stageName: 'test' },
    ],
    'apigateway-CreateStage-3.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: 'abcdef74gh', stageName: 'latest' },
    ],
    'apigateway-GetResource-docsample.json': 'read-only',
    'apigatewayv2-CreateStage-1.json': [
      { kind: 'v2-stage', region: 'ap-southeast-1', apiId: 'pxzfkfmjo7', stageName: '5587y0s9d5aed' },
    ],
    'apigatewayv2-UpdateRoute-1.json': [
      { kind: 'v2-route', region: 'ap-southeast-1', apiId: 'pxzfkfmjo7', routeId: 'id6oeig' },
    ],
    'cloudwatchlogs-DeleteLogGroup-1.json': [
      {
        kind: 'log-group',
        region: 'us-east-1',
        logGroupArn: 'arn:aws:logs:us-east-1:000000000:log-group:cloudtrail-log-group-test',
      },
    ],
    'eventbridge-envelope-apigateway-TagResource-1.json': [
      { kind: 'rest-stage', region: 'us-east-1', apiId: 'abcdef74gh', stageName: 'test2' },
    ],
    'wafv2-DeleteWebACL-1.json': [
      {
        kind: 'web-acl',
        region: 'us-east-1',
        webAclArn:
          'arn:aws:wafv2:us-east-1:000000000:regional/webacl/TestWebAcl/a95cc6a5-b6e3-42d3-a3c0-992b2f8119d5',
      },
    ],
    'wafv2-DisassociateWebACL-1.json': 'not an API Gateway resource',
  },
};

describeEachSet('resolveEvent on each CloudTrail and EventBridge file', (set) => {
  const expected = expectedTargets[set.kind];

  it('has an expectation for every file', () => {
    expect(Object.keys(expected).sort()).toEqual([...set.cloudTrailFiles]);
  });

  it.each(Object.entries(expected))('%s', (name, outcome) => {
    const resolution = resolveEvent(recordOf(set, name));

    if (typeof outcome === 'string') expect(resolution).toEqual({ ignored: outcome });
    else expect(resolution).toEqual({ targets: outcome, entry: expect.anything() });
  });

  it.each([
    ['apigateway-CreateStage-1.json', 'v1'],
    ['apigateway-CreateDeployment-2.json', 'v1'],
    ['eventbridge-envelope-apigateway-TagResource-1.json', 'v1'],
    ['apigatewayv2-CreateStage-1.json', 'v2'],
    ['apigatewayv2-UpdateRoute-1.json', 'v2'],
    ['wafv2-DeleteWebACL-1.json', 'unknown'],
  ] as const)('generationOf %s → %s', (name, generation) => {
    expect(generationOf(recordOf(set, name))).toBe(generation);
  });

  it('the v2 user agent alone tells a v2 call', () => {
    const userAgent = recordOf(set, 'apigatewayv2-CreateStage-1.json').userAgent ?? '';
    const bare = withParams(
      'apigatewayv2-CreateStage-1.json',
      { name: 'orders', protocolType: 'HTTP' },
      { userAgent },
    );

    expect(generationOf(bare)).toBe('v2');
  });

  it('the event patterns match every file gatewatch acts on, and no read-only one', () => {
    const patterns = eventPatterns();
    for (const name of set.cloudTrailFiles) {
      const record = recordOf(set, name);
      const source = eventBridgeSources[record.eventSource as keyof typeof eventBridgeSources];
      const matched = patterns.some((pattern) => matches(pattern, source, record));

      expect([name, matched]).toEqual([name, record.readOnly !== true]);
    }
  });

  it('actorOf takes the principal ARN, source IP and user agent from an AWS-internal call', () => {
    expect(actorOf(recordOf(set, 'apigateway-CreateStage-3.json'))).toEqual({
      principal: expectedActor[set.kind],
      sourceIp: 'AWS Internal',
      userAgent: 'AWS Internal',
      invokedBy: null,
    });
  });
});

const expectedActor: BySet<string> = {
  fixtures: 'arn:aws:sts::444455556666:assumed-role/release-pipeline/pipeline-run-4821',
  recordings: 'arn:aws:sts::012345678901:assumed-role/c7nbot/HarishAchappa',
};

describe('resolveEvent on hand-made records (no public recording exists)', () => {
  it('v1 UpdateStage → the stage, with its patch operations as detail', () => {
    const record = handMade(updateStage, 'UpdateStage fixture');

    expect(resolveEvent(record)).toEqual({
      targets: [{ kind: 'rest-stage', region: 'us-east-1', apiId: 'k7m2p9q4ab', stageName: 'test' }],
      entry: expect.objectContaining({ eventName: 'UpdateStage', api: 'v1' }),
    });
    expect(patchOperations(record)).toEqual([
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' },
      { op: 'remove', path: '/accessLogSettings' },
    ]);
  });

  it('v1 UpdateMethod → every stage of the API (pending until deployed)', () => {
    const record = handMade(updateMethod, 'UpdateMethod fixture');

    expect(resolveEvent(record)).toEqual({
      targets: [{ kind: 'rest-stages', region: 'us-east-1', apiId: 'k7m2p9q4ab' }],
      entry: expect.objectContaining({ eventName: 'UpdateMethod' }),
    });
    expect(patchOperations(record)[0]).toEqual({ op: 'replace', path: '/authorizationType', value: 'NONE' });
  });

  it('v1 DeleteAuthorizer → every stage of the API', () => {
    const record = handMade(deleteAuthorizer, 'DeleteAuthorizer fixture');

    expect(resolveEvent(record)).toEqual({
      targets: [{ kind: 'rest-stages', region: 'us-east-1', apiId: 'k7m2p9q4ab' }],
      entry: expect.objectContaining({ eventName: 'DeleteAuthorizer', api: 'v1' }),
    });
    expect(patchOperations(record)).toEqual([]);
  });

  it('wafv2 AssociateWebACL on a stage → the stage', () => {
    expect(resolveEvent(handMade(associateWebAcl, 'AssociateWebACL fixture'))).toEqual({
      targets: [{ kind: 'rest-stage', region: 'us-east-1', apiId: 'k7m2p9q4ab', stageName: 'test' }],
      entry: expect.objectContaining({ eventSource: 'wafv2.amazonaws.com' }),
    });
  });
});

describe('resolveEvent: what is ignored, and edge cases', () => {
  it('ignores a failed call: it changed nothing', () => {
    const failed = { ...recorded('apigateway-CreateStage-1.json'), errorCode: 'ConflictException' };

    expect(resolveEvent(failed)).toEqual({ ignored: 'failed call (errorCode ConflictException)' });
  });

  it('ignores an event it does not catalogue', () => {
    expect(
      resolveEvent({ ...recorded('apigateway-CreateStage-1.json'), eventName: 'FlushStageCache' }),
    ).toEqual({
      ignored: 'not catalogued',
    });
  });

  it('ignores a v2 event catalogued only for REST APIs, and the reverse', () => {
    const v2Method = withParams(
      'apigatewayv2-UpdateRoute-1.json',
      { apiId: 'm3n4b5v6c7' },
      { eventName: 'PutMethod' },
    );

    expect(resolveEvent(v2Method)).toEqual({ ignored: 'not catalogued for HTTP/WebSocket APIs' });
  });

  it('does not guess when a shared name comes with neither restApiId nor apiId nor a telling user agent', () => {
    const record = withParams(
      'apigateway-CreateStage-3.json',
      { stageName: 'latest' },
      { eventName: 'UpdateStage' },
    );

    expect(resolveEvent(record)).toEqual({
      ignored: 'cannot tell a REST API call from an HTTP/WebSocket API call',
    });
  });

  it('ignores a CloudFront-scoped web ACL: it cannot protect a stage', () => {
    const record = withParams('wafv2-DeleteWebACL-1.json', { name: 'Edge', scope: 'CLOUDFRONT', id: 'abc' });

    expect(resolveEvent(record)).toEqual({
      ignored: 'not a regional web ACL (a CloudFront web ACL cannot protect a stage)',
    });
  });

  it('ignores a tag on an API Gateway resource gatewatch does not judge', () => {
    const record = withParams('apigateway-CreateStage-3.json', {
      resourceArn: 'arn:aws:apigateway:us-east-1::/usageplans/q1w2e3',
    });

    expect(resolveEvent({ ...record, eventName: 'TagResource' })).toEqual({
      ignored: 'not an API Gateway resource gatewatch judges',
    });
  });

  it('UntagResource on an HTTP API stage → the v2 stage (the opt-out tag removed)', () => {
    const record = withParams(
      'apigatewayv2-CreateStage-1.json',
      {
        resourceArn: 'arn:aws:apigateway:eu-central-1::/apis/m3n4b5v6c7/stages/prod',
        tagKeys: ['gatewatch:ignore'],
      },
      { eventName: 'UntagResource' },
    );

    expect(resolveEvent(record)).toMatchObject({
      targets: [{ kind: 'v2-stage', region: 'eu-central-1', apiId: 'm3n4b5v6c7', stageName: 'prod' }],
    });
  });

  it('takes a created API from the response: ImportRestApi has no restApiId path parameter', () => {
    const record = {
      ...withParams('apigateway-CreateStage-1.json', { body: '…', failOnWarnings: false, template: false }),
      eventName: 'ImportRestApi',
      responseElements: { id: 'n3wap1d0x9', name: 'imported' },
    };

    expect(resolveEvent(record)).toMatchObject({
      targets: [
        { kind: 'rest-api', region: 'us-east-1', apiId: 'n3wap1d0x9' },
        { kind: 'rest-stages', region: 'us-east-1', apiId: 'n3wap1d0x9' },
      ],
    });
  });

  it('a v2 deployment that names no stage changes nothing served', () => {
    const record = withParams(
      'apigatewayv2-UpdateRoute-1.json',
      { apiId: 'm3n4b5v6c7' },
      { eventName: 'CreateDeployment' },
    );

    expect(resolveEvent(record)).toEqual({
      ignored: 'a deployment that names no stage changes nothing served',
    });
  });

  it('maps a custom domain change to the domain, and a base path mapping to the API too', () => {
    const mapping = withParams(
      'apigateway-CreateStage-1.json',
      {
        domainName: 'api.example.com',
        createBasePathMappingInput: { restApiId: 'k7m2p9q4ab', stage: 'test', basePath: 'v1' },
        template: false,
      },
      { eventName: 'CreateBasePathMapping' },
    );
    const domain = withParams(
      'apigatewayv2-CreateStage-1.json',
      { domainName: 'api.example.com' },
      {
        eventName: 'UpdateDomainName',
      },
    );

    expect(resolveEvent(mapping)).toMatchObject({
      targets: [
        { kind: 'domain-name', region: 'us-east-1', domainName: 'api.example.com' },
        { kind: 'rest-api', region: 'us-east-1', apiId: 'k7m2p9q4ab' },
      ],
    });
    expect(resolveEvent(domain)).toMatchObject({
      targets: [{ kind: 'domain-name', region: 'eu-central-1', domainName: 'api.example.com' }],
    });
  });

  it('UpdateAccount → the account settings of the region', () => {
    const record = withParams(
      'apigateway-CreateStage-1.json',
      { updateAccountInput: {}, template: false },
      {
        eventName: 'UpdateAccount',
      },
    );

    expect(resolveEvent(record)).toMatchObject({ targets: [{ kind: 'account', region: 'us-east-1' }] });
  });
});

describe('generationOf', () => {
  it('falls back on the user agent when the request names no API', () => {
    const bare = (userAgent: string) =>
      withParams('apigatewayv2-CreateStage-1.json', { name: 'orders', protocolType: 'HTTP' }, { userAgent });

    expect(generationOf(bare('aws-cli/2.17.60 md/command#apigatewayv2.create-api'))).toBe('v2');
    expect(generationOf(bare('aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js api/api-gateway#3.600.0'))).toBe(
      'v1',
    );
    expect(generationOf(bare('aws-cli/2.17.60 md/command#apigateway.create-rest-api'))).toBe('v1');
    expect(generationOf(bare('AWS Internal'))).toBe('unknown');
  });

  it('prefers the request shape to the user agent', () => {
    const v1ByShape = { ...recorded('apigateway-CreateStage-1.json'), userAgent: 'api/apigatewayv2#1.22.1' };

    expect(generationOf(v1ByShape)).toBe('v1');
  });
});

/** EventBridge's matching, for the fields these patterns use. */
const matches = (pattern: EventPattern, source: string, record: CloudTrailRecord) =>
  pattern.source.includes(source) &&
  pattern['detail-type'].includes('AWS API Call via CloudTrail') &&
  pattern.detail.eventSource.includes(record.eventSource) &&
  pattern.detail.eventName.includes(record.eventName) &&
  record.errorCode === undefined;

describe('eventPatterns', () => {
  const patterns = eventPatterns();

  it('has one pattern per source, each within EventBridge’s pattern size limit', () => {
    expect(patterns.map((pattern) => pattern.source)).toEqual([
      ['aws.apigateway'],
      ['aws.wafv2'],
      ['aws.waf-regional'],
      ['aws.logs'],
      ['aws.cloudtrail'],
      ['aws.iam'],
    ]);
    for (const pattern of patterns)
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARS);
  });

  it('lists every catalogued event name for its source, and nothing else', () => {
    for (const [eventSource, source] of Object.entries(eventBridgeSources)) {
      const catalogued = new Set(
        eventCatalog.filter((e) => e.eventSource === eventSource).map((e) => e.eventName),
      );
      const inPatterns = patterns
        .filter((pattern) => pattern.source.includes(source))
        .flatMap((pattern) => {
          expect(pattern.detail.eventSource).toEqual([eventSource]);
          return pattern.detail.eventName;
        });

      expect(new Set(inPatterns)).toEqual(catalogued);
      expect(inPatterns).toHaveLength(catalogued.size);
    }
  });

  it('lists no read-only call (EventBridge does not deliver them) and keeps failed calls out', () => {
    for (const pattern of patterns) {
      expect(pattern.detail.eventName.filter((name) => READ_ONLY_NAME.test(name))).toEqual([]);
      expect(pattern.detail.errorCode).toEqual([{ exists: false }]);
      expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    }
  });

  it('splits a source’s names over several patterns when one would be too long', () => {
    const split = eventPatterns(eventCatalog, 600);
    const apigateway = split.filter((pattern) => pattern.source.includes('aws.apigateway'));

    expect(apigateway.length).toBeGreaterThan(1);
    for (const pattern of split) expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(600);
    expect(apigateway.flatMap((pattern) => pattern.detail.eventName)).toEqual(
      patterns
        .filter((pattern) => pattern.source.includes('aws.apigateway'))
        .flatMap((p) => p.detail.eventName),
    );
  });

  it('refuses a limit no single event name fits', () => {
    expect(() => eventPatterns(eventCatalog, 100)).toThrow(/exceeds 100 characters/);
  });
});

describe('eventCatalog', () => {
  const keyOf = (entry: CatalogEntry) => `${entry.eventSource} ${entry.eventName} ${entry.api}`;

  it('pins the catalogued events: adding or removing one is a visible decision', () => {
    expect(eventCatalog.map(keyOf)).toMatchInlineSnapshot(`
[
  "apigateway.amazonaws.com CreateRestApi v1",
  "apigateway.amazonaws.com UpdateRestApi v1",
  "apigateway.amazonaws.com PutRestApi v1",
  "apigateway.amazonaws.com ImportRestApi v1",
  "apigateway.amazonaws.com DeleteRestApi v1",
  "apigateway.amazonaws.com CreateStage v1",
  "apigateway.amazonaws.com UpdateStage v1",
  "apigateway.amazonaws.com DeleteStage v1",
  "apigateway.amazonaws.com CreateDeployment v1",
  "apigateway.amazonaws.com PutMethod v1",
  "apigateway.amazonaws.com UpdateMethod v1",
  "apigateway.amazonaws.com DeleteMethod v1",
  "apigateway.amazonaws.com PutIntegration v1",
  "apigateway.amazonaws.com UpdateIntegration v1",
  "apigateway.amazonaws.com UpdateAuthorizer v1",
  "apigateway.amazonaws.com DeleteAuthorizer v1",
  "apigateway.amazonaws.com UpdateRequestValidator v1",
  "apigateway.amazonaws.com DeleteRequestValidator v1",
  "apigateway.amazonaws.com UpdateAccount v1",
  "apigateway.amazonaws.com CreateBasePathMapping v1",
  "apigateway.amazonaws.com UpdateBasePathMapping v1",
  "apigateway.amazonaws.com DeleteBasePathMapping v1",
  "apigateway.amazonaws.com CreateDomainName any",
  "apigateway.amazonaws.com UpdateDomainName any",
  "apigateway.amazonaws.com DeleteDomainName any",
  "apigateway.amazonaws.com TagResource any",
  "apigateway.amazonaws.com UntagResource any",
  "apigateway.amazonaws.com CreateApi v2",
  "apigateway.amazonaws.com UpdateApi v2",
  "apigateway.amazonaws.com ImportApi v2",
  "apigateway.amazonaws.com ReimportApi v2",
  "apigateway.amazonaws.com DeleteApi v2",
  "apigateway.amazonaws.com CreateStage v2",
  "apigateway.amazonaws.com UpdateStage v2",
  "apigateway.amazonaws.com DeleteStage v2",
  "apigateway.amazonaws.com DeleteAccessLogSettings v2",
  "apigateway.amazonaws.com DeleteRouteSettings v2",
  "apigateway.amazonaws.com CreateDeployment v2",
  "apigateway.amazonaws.com CreateRoute v2",
  "apigateway.amazonaws.com UpdateRoute v2",
  "apigateway.amazonaws.com DeleteRoute v2",
  "apigateway.amazonaws.com UpdateAuthorizer v2",
  "apigateway.amazonaws.com DeleteAuthorizer v2",
  "apigateway.amazonaws.com CreateIntegration v2",
  "apigateway.amazonaws.com UpdateIntegration v2",
  "apigateway.amazonaws.com CreateApiMapping v2",
  "apigateway.amazonaws.com UpdateApiMapping v2",
  "apigateway.amazonaws.com DeleteApiMapping v2",
  "wafv2.amazonaws.com AssociateWebACL any",
  "wafv2.amazonaws.com DisassociateWebACL any",
  "wafv2.amazonaws.com UpdateWebACL any",
  "wafv2.amazonaws.com DeleteWebACL any",
  "waf-regional.amazonaws.com AssociateWebACL any",
  "waf-regional.amazonaws.com DisassociateWebACL any",
  "logs.amazonaws.com DeleteLogGroup any",
  "logs.amazonaws.com DeleteResourcePolicy any",
  "logs.amazonaws.com PutResourcePolicy any",
  "cloudtrail.amazonaws.com StopLogging any",
  "cloudtrail.amazonaws.com DeleteTrail any",
  "cloudtrail.amazonaws.com UpdateTrail any",
  "cloudtrail.amazonaws.com PutEventSelectors any",
  "cloudtrail.amazonaws.com StartLogging any",
  "cloudtrail.amazonaws.com CreateTrail any",
  "iam.amazonaws.com DeleteRole any",
  "iam.amazonaws.com UpdateAssumeRolePolicy any",
  "iam.amazonaws.com CreateRole any",
]
`);
  });

  it('has one entry per event and generation, and never mixes `any` with a generation', () => {
    expect(new Set(eventCatalog.map(keyOf)).size).toBe(eventCatalog.length);
    for (const entry of eventCatalog.filter((e) => e.api === 'any')) {
      const same = eventCatalog.filter(
        (e) => e.eventSource === entry.eventSource && e.eventName === entry.eventName,
      );
      expect(same).toEqual([entry]);
    }
  });

  it('catalogues no read-only call and says in one sentence what each event can weaken', () => {
    for (const entry of eventCatalog) {
      expect([entry.eventName, READ_ONLY_NAME.test(entry.eventName)]).toEqual([entry.eventName, false]);
      expect(entry.weakens).toMatch(/^[A-Z"'].*\.$/);
      expect(entry.weakens).not.toContain('\n');
    }
  });

  it('says WAF Classic support has ended', () => {
    for (const entry of eventCatalog.filter((e) => e.eventSource === 'waf-regional.amazonaws.com')) {
      expect(entry.weakens).toContain('ended on 30 September 2025');
    }
  });
});

describe('actorOf', () => {
  const identityOf = (
    userIdentity: CloudTrailRecord['userIdentity'],
    extra: Partial<CloudTrailRecord> = {},
  ) => actorOf({ ...recorded('apigatewayv2-CreateStage-1.json'), userIdentity, ...extra });

  it('rebuilds an assumed role session ARN from the session issuer when the ARN is missing', () => {
    const actor = identityOf({
      type: 'AssumedRole',
      principalId: 'AROA3XFRBF23GWEXAMPL:deployer',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/Admin',
        },
      },
    });

    expect(actor.principal).toBe('arn:aws:sts::111122223333:assumed-role/Admin/deployer');
  });

  it('falls back on type and principal id, then on the invoking service, and is never empty', () => {
    expect(identityOf({ type: 'AWSAccount', principalId: 'AIDAEXAMPLE' }).principal).toBe(
      'AWSAccount:AIDAEXAMPLE',
    );
    expect(identityOf({ type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' })).toMatchObject({
      principal: 'AWSService:cloudformation.amazonaws.com',
      invokedBy: 'cloudformation.amazonaws.com',
    });
    expect(identityOf({ type: 'Unknown' }, { sourceIPAddress: undefined, userAgent: undefined })).toEqual({
      principal: 'Unknown',
      sourceIp: null,
      userAgent: null,
      invokedBy: null,
    });
  });
});

describe('patchOperations', () => {
  const base = recorded('apigateway-CreateStage-1.json');
  const op = { op: 'replace', path: '/tracingEnabled', value: 'false' };

  it('finds the list wherever it sits in requestParameters', () => {
    expect(
      patchOperations({ ...base, requestParameters: { restApiId: 'a', patchOperations: [op] } }),
    ).toEqual([op]);
    expect(
      patchOperations({
        ...base,
        requestParameters: { restApiId: 'a', updateStageInput: { patchOperations: [op] } },
      }),
    ).toEqual([op]);
  });

  it('returns [] when there is none, and keeps only well-formed operations', () => {
    expect(patchOperations(base)).toEqual([]);
    expect(patchOperations({ ...base, requestParameters: null })).toEqual([]);
    expect(
      patchOperations({
        ...base,
        requestParameters: {
          patchOperations: [op, { op: 'add' }, 'junk', { op: 'replace', path: '/x', value: 5 }],
        },
      }),
    ).toEqual([op, { op: 'replace', path: '/x', value: '5' }]);
  });
});

describe('the real-time and logging paths', () => {
  it('StopLogging points at the trail, to re-judge every region it may log', () => {
    const record = handMade(stopLogging, 'StopLogging fixture');

    expect(resolveEvent(record)).toMatchObject({
      targets: [{ kind: 'trail', region: 'us-east-1', trail: stopLogging.requestParameters.name }],
    });
  });

  it('DeleteRole points at the role by name, from us-east-1 where IAM is recorded', () => {
    const record = handMade(deleteRole, 'DeleteRole fixture');

    expect(resolveEvent(record)).toMatchObject({
      targets: [{ kind: 'iam-role', region: 'us-east-1', roleName: 'gatewatch-apigateway-logs-eu-west-1' }],
    });
  });

  it('DeleteResourcePolicy re-reads the resource policies of its region', () => {
    const record = handMade(deleteResourcePolicy, 'DeleteResourcePolicy fixture');

    expect(resolveEvent(record)).toMatchObject({
      targets: [{ kind: 'account', region: 'eu-west-1', reads: 'log-resource-policies' }],
    });
  });

  it('UpdateAccount re-reads the role the settings name', () => {
    const record = withParams('apigateway-CreateStage-1.json', {}, { eventName: 'UpdateAccount' });

    expect(resolveEvent(record)).toMatchObject({ targets: [{ kind: 'account', reads: 'cloudwatch-role' }] });
  });

  it('the trail rule judges every regional event source the catalog watches', () => {
    const regional = new Set(
      eventCatalog
        .map((entry) => entry.eventSource)
        .filter((source) => !['iam.amazonaws.com', 'waf-regional.amazonaws.com'].includes(source)),
    );

    expect([...regional].sort()).toEqual([...REGIONAL_EVENT_SOURCES].sort());
  });

  it('forwards IAM and CloudTrail events from us-east-1 with their own patterns', () => {
    expect(globalRegionEventPatterns().map((pattern) => pattern.source)).toEqual([
      ['aws.iam'],
      ['aws.cloudtrail'],
    ]);
  });
});
