// The one module that names resources: identity → ARN → identity is the identity, in every
// partition, and the ARN shapes AWS documents parse to the resource they name.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { memberRoleArn } from '../../aws/accounts';
import { readInventory } from '../../aws/read/inventory-file';
import { normalise } from '../../aws/read/normalise';
import { DEMO_INVENTORY } from '../../cli/commands/demo';
import {
  apiArnOf,
  apiOf,
  arnOf,
  identityOf,
  parseApiGatewayArn,
  parseArn,
  parseAssumedRoleArn,
  parseRoleArn,
  partitionOf,
  type ResourceIdentity,
  roleOfPrincipal,
} from '../../model/identity';
import { awsRegionsByPartition, type Partition, partitions } from '../../model/partitions';

const ACCOUNT = '111122223333';
const regions = Object.values(awsRegionsByPartition).flat();
const region = fc.constantFrom(...regions);
/** An id as API Gateway makes them (10 lower-case letters and digits), or any segment without `/`. */
const segment = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{10}$/),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('/')),
);
/** Stage names: letters, digits, `_`, `-`, and HTTP APIs' `$default`. */
const stageName = fc.oneof(fc.constant('$default'), fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/));
/** Domain names, wildcard ones and a private domain's `+id` included. */
const domainName = fc.oneof(
  fc.domain(),
  fc.domain().map((d) => `*.${d}`),
  fc.tuple(fc.domain(), fc.stringMatching(/^[a-z0-9]{8}$/)).map(([d, id]) => `${d}+${id}`),
);

const identity: fc.Arbitrary<ResourceIdentity> = fc.oneof(
  fc.record({ kind: fc.constant('rest-api' as const), region, apiId: segment }),
  fc.record({ kind: fc.constant('rest-stage' as const), region, apiId: segment, stageName }),
  fc.record({ kind: fc.constant('v2-api' as const), region, apiId: segment }),
  fc.record({ kind: fc.constant('v2-stage' as const), region, apiId: segment, stageName }),
  fc.record({ kind: fc.constant('v2-route' as const), region, apiId: segment, routeId: segment }),
  fc.record({ kind: fc.constant('domain-name' as const), region, domainName }),
  fc.record({ kind: fc.constant('account' as const), region }),
);

describe('parse ∘ format', () => {
  it('gives back every kind of resource in every partition, with the partition of its region', () => {
    fc.assert(
      fc.property(identity, (id) => {
        const arn = arnOf(id);
        expect(parseArn(arn)).toEqual({
          partition: partitionOf(id.region),
          region: id.region,
          accountId: '',
          identity: id,
        });
        expect(arn.startsWith(`arn:${partitionOf(id.region)}:apigateway:${id.region}::/`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('covers every partition gatewatch knows', () => {
    const seen = new Set(regions.map(partitionOf));
    expect([...seen].sort()).toEqual(Object.keys(partitions).sort());
    expect(seen).toEqual(
      new Set<Partition>([
        'aws',
        'aws-cn',
        'aws-us-gov',
        'aws-iso',
        'aws-iso-b',
        'aws-iso-e',
        'aws-iso-f',
        'aws-eusc',
      ]),
    );
  });

  it('names the API of a stage or route in the same partition; an API is its own', () => {
    fc.assert(
      fc.property(identity, (id) => {
        const api = apiOf(id);
        expect(apiArnOf(arnOf(id))).toBe(api === undefined ? undefined : arnOf(api));
      }),
    );
  });
});

describe('the ARN shapes AWS documents', () => {
  it.each([
    [
      'arn:aws:apigateway:us-east-1::/restapis/abc123/stages/prod',
      { kind: 'rest-stage', region: 'us-east-1', apiId: 'abc123', stageName: 'prod' },
    ],
    [
      'arn:aws-us-gov:apigateway:us-gov-west-1::/restapis/abc123/stages/prod',
      { kind: 'rest-stage', region: 'us-gov-west-1', apiId: 'abc123', stageName: 'prod' },
    ],
    [
      'arn:aws:apigateway:eu-west-1::/restapis/abc123',
      { kind: 'rest-api', region: 'eu-west-1', apiId: 'abc123' },
    ],
    [
      'arn:aws:apigateway:eu-west-1::/apis/h77p1d/stages/$default',
      { kind: 'v2-stage', region: 'eu-west-1', apiId: 'h77p1d', stageName: '$default' },
    ],
    [
      'arn:aws-cn:apigateway:cn-north-1::/apis/h77p1d/routes/r0ute1',
      { kind: 'v2-route', region: 'cn-north-1', apiId: 'h77p1d', routeId: 'r0ute1' },
    ],
    ['arn:aws:apigateway:eu-west-1::/apis/h77p1d', { kind: 'v2-api', region: 'eu-west-1', apiId: 'h77p1d' }],
    [
      'arn:aws-cn:apigateway:cn-north-1::/domainnames/api.example.cn',
      { kind: 'domain-name', region: 'cn-north-1', domainName: 'api.example.cn' },
    ],
    [
      'arn:aws:apigateway:us-east-1::/domainnames/*.example.com',
      { kind: 'domain-name', region: 'us-east-1', domainName: '*.example.com' },
    ],
    ['arn:aws-us-gov:apigateway:us-gov-east-1::/account', { kind: 'account', region: 'us-gov-east-1' }],
  ])('%s', (arn, expected) => {
    expect(parseArn(arn)?.identity).toEqual(expected);
    expect(arnOf(expected as ResourceIdentity)).toBe(arn);
  });

  it('reads the owner of a private custom domain, whose ARN names its account', () => {
    expect(
      parseArn('arn:aws:apigateway:us-east-1:111122223333:/domainnames/private.example.com+abcd1234'),
    ).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      accountId: '111122223333',
      identity: { kind: 'domain-name', region: 'us-east-1', domainName: 'private.example.com+abcd1234' },
    });
  });

  it.each([
    'arn:aws:apigateway:us-east-1::/restapis/abc123/resources/r1/methods/GET',
    'arn:aws:apigateway:us-east-1::/restapis/abc123/stages/prod/extra',
    'arn:aws:apigateway:us-east-1::/usageplans/p1',
    'arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/storefront/0f1e2d3c4b5a6978',
    'arn:aws:apigateway:us-east-1::restapis/abc123',
    'not an arn',
  ])('names nothing gatewatch judges: %s', (arn) => {
    expect(parseArn(arn)).toBeUndefined();
  });
});

describe('IAM roles and their sessions', () => {
  const partition = fc.constantFrom(...(Object.keys(partitions) as Partition[]));
  const roleName = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,64}$/);
  const path = fc.oneof(fc.constant('/'), fc.stringMatching(/^\/[a-z0-9]{1,10}\/(?:[a-z0-9]{1,10}\/)?$/));

  it('parse ∘ format = id for a role and a session of it, in every partition', () => {
    fc.assert(
      fc.property(partition, path, roleName, (p, rolePath, name) => {
        const role = parseRoleArn(`arn:${p}:iam::${ACCOUNT}:role${rolePath}${name}`);
        expect(role).toEqual({ partition: p, accountId: ACCOUNT, path: rolePath, roleName: name });
        const session = parseAssumedRoleArn(`arn:${p}:sts::${ACCOUNT}:assumed-role/${name}/gatewatch`);
        expect(session).toEqual({ partition: p, accountId: ACCOUNT, roleName: name, session: 'gatewatch' });
        expect(roleOfPrincipal(`arn:${p}:sts::${ACCOUNT}:assumed-role/${name}/s`)).toEqual(
          roleOfPrincipal(`arn:${p}:iam::${ACCOUNT}:role${rolePath}${name}`),
        );
      }),
    );
  });

  it.each([
    `arn:aws:iam::${ACCOUNT}:user/alice`,
    `arn:aws:iam::${ACCOUNT}:role/`,
    'arn:aws:iam::1234:role/short-account',
    `arn:aws:sts::${ACCOUNT}:federated-user/alice`,
    'gatewatch-remediator',
  ])('names no role: %s', (arn) => {
    expect(roleOfPrincipal(arn)).toBeUndefined();
  });
});

describe('API Gateway ARN parts', () => {
  it('gives the resource path as it came, and the owner a private domain names', () => {
    expect(parseApiGatewayArn('arn:aws-cn:apigateway:cn-north-1::/restapis/a1b2c3d4e5/stages/prod')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      accountId: '',
      path: '/restapis/a1b2c3d4e5/stages/prod',
    });
    expect(
      parseApiGatewayArn(`arn:aws:apigateway:us-east-1:${ACCOUNT}:/domainnames/api.example.com+abc12345`),
    ).toMatchObject({ accountId: ACCOUNT, path: '/domainnames/api.example.com+abc12345' });
    expect(parseApiGatewayArn('arn:aws:wafv2:us-east-1:111122223333:regional/webacl/a/b')).toBeUndefined();
  });
});

describe('snapshot → identity', () => {
  it('names every snapshot of the demo estate by the ARN it carries', () => {
    const { estate } = normalise(readInventory(DEMO_INVENTORY));
    const snapshots = Object.values(estate).flat();
    expect(snapshots.length).toBeGreaterThan(20);
    for (const snapshot of snapshots) {
      const id = identityOf(snapshot);
      expect(arnOf(id)).toBe(snapshot.arn);
      expect(parseArn(snapshot.arn)?.identity).toEqual(id);
    }
  });
});

describe('the model module', () => {
  it('imports no AWS SDK and nothing from aws/, pipeline/, handlers/, cli/ or infra/', () => {
    const dir = join(__dirname, '..', '..', 'model');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const source of imports) expect(source).toMatch(/^(\.\/|\.\.\/rules\/|zod)/);
    }
  });

  it('names member roles in the partition of their region (GATEWATCH_PARTITION is not needed)', () => {
    expect(memberRoleArn(ACCOUNT, 'remediator', 'us-gov-west-1')).toBe(
      `arn:aws-us-gov:iam::${ACCOUNT}:role/gatewatch-remediator-us-gov-west-1`,
    );
    expect(memberRoleArn(ACCOUNT, 'reader', 'cn-north-1')).toBe(
      `arn:aws-cn:iam::${ACCOUNT}:role/gatewatch-reader-cn-north-1`,
    );
    expect(memberRoleArn(ACCOUNT, 'reader', 'eu-west-1')).toBe(
      `arn:aws:iam::${ACCOUNT}:role/gatewatch-reader-eu-west-1`,
    );
  });
});
