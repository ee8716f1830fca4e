// The IAM matcher the infra tests trust: IAM's wildcards, Deny over Allow, NotResource, and
// conditions read conservatively (an unstated key is the caller's choice).
import {
  ANY_VALUE,
  conditionsHold,
  evaluate,
  globMatches,
  resolvePolicyValue,
  resourceMatches,
} from './iam-evaluate';

const STAGE = 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod';
const INTEGRATION =
  'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/resources/abc123/methods/GET/integration';

describe('IAM wildcards', () => {
  it('lets * run across / (so /restapis/* reaches an integration)', () => {
    expect(globMatches('/restapis/*', '/restapis/a1b2c3d4e5/resources/abc123/methods/GET/integration')).toBe(
      true,
    );
    expect(resourceMatches('arn:aws:apigateway:eu-west-1::/restapis/*', INTEGRATION)).toBe(true);
    expect(globMatches('a*', 'a')).toBe(true);
  });

  it('lets ? match exactly one character, / included', () => {
    const pattern = 'arn:aws:apigateway:eu-west-1::/restapis/??????????';
    expect(resourceMatches(pattern, 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5')).toBe(true);
    expect(resourceMatches(pattern, 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e')).toBe(false);
    expect(resourceMatches(pattern, 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod')).toBe(
      false,
    );
    expect(globMatches('a?c', 'a/c')).toBe(true);
  });

  it('matches the first five ARN segments one by one, the resource part as a whole', () => {
    expect(
      resourceMatches(
        'arn:aws:logs:*:123456789012:log-group:*',
        'arn:aws:logs:eu-west-1:123456789012:log-group:a:log-stream:b',
      ),
    ).toBe(true);
    // A region wildcard does not swallow the account.
    expect(
      resourceMatches('arn:aws:logs:*:log-group:*', 'arn:aws:logs:eu-west-1:123456789012:log-group:a'),
    ).toBe(false);
    expect(resourceMatches('*', INTEGRATION)).toBe(true);
  });

  it('treats regex characters in patterns literally and resources case-sensitively', () => {
    expect(globMatches('/a.b', '/aXb')).toBe(false);
    expect(globMatches('/methods/GET', '/methods/get')).toBe(false);
    expect(globMatches('/stages/$default', '/stages/$default')).toBe(true);
  });
});

describe('evaluation', () => {
  const allowStages = {
    Effect: 'Allow',
    Action: 'apigateway:PATCH',
    Resource: 'arn:aws:apigateway:*::/restapis/*',
  };

  it('allows what an Allow matches, actions case-insensitively and with wildcards', () => {
    expect(evaluate([allowStages], { action: 'apigateway:patch', resource: STAGE })).toBe('allow');
    expect(
      evaluate([{ ...allowStages, Action: 'apigateway:*' }], { action: 'apigateway:PATCH', resource: STAGE }),
    ).toBe('allow');
    expect(evaluate([allowStages], { action: 'apigateway:DELETE', resource: STAGE })).toBe('implicit-deny');
  });

  it('lets a Deny win over any Allow', () => {
    const deny = {
      Effect: 'Deny',
      Action: ['apigateway:PATCH'],
      Resource: 'arn:aws:apigateway:*::/restapis/*/integration',
    };
    expect(evaluate([allowStages, deny], { action: 'apigateway:PATCH', resource: INTEGRATION })).toBe('deny');
    expect(evaluate([allowStages, deny], { action: 'apigateway:PATCH', resource: STAGE })).toBe('allow');
  });

  it('reads NotResource and NotAction as everything but what they name', () => {
    const guard = {
      Effect: 'Deny',
      Action: 'apigateway:PATCH',
      NotResource: ['arn:aws:apigateway:*::/restapis/??????????/stages/*'],
    };
    expect(evaluate([allowStages, guard], { action: 'apigateway:PATCH', resource: INTEGRATION })).toBe(
      'deny',
    );
    expect(evaluate([allowStages, guard], { action: 'apigateway:PATCH', resource: STAGE })).toBe('allow');
    const notAction = { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' };
    expect(evaluate([notAction], { action: 'iam:PassRole', resource: '*' })).toBe('implicit-deny');
    expect(evaluate([notAction], { action: 'apigateway:PATCH', resource: STAGE })).toBe('allow');
  });

  it('reads a template parameter as anything in an Allow and nothing in a Deny', () => {
    const allowAny = { Effect: 'Allow', Action: 'events:PutEvents', Resource: ANY_VALUE };
    const denyAny = { Effect: 'Deny', Action: 'events:PutEvents', Resource: ANY_VALUE };
    const request = {
      action: 'events:PutEvents',
      resource: 'arn:aws:events:eu-west-1:111122223333:event-bus/default',
    };
    expect(evaluate([allowAny, denyAny], request)).toBe('allow');
  });
});

describe('conditions, conservatively', () => {
  const authorized = {
    'ForAllValues:StringEquals': {
      'apigateway:Request/RouteAuthorizationType': ['AWS_IAM', 'CUSTOM', 'JWT'],
    },
    Null: { 'apigateway:Request/RouteAuthorizationType': 'false' },
  };

  it('holds an Allow to what the request states', () => {
    const key = 'apigateway:Request/RouteAuthorizationType';
    expect(conditionsHold(authorized, { [key]: ['JWT'] }, true)).toBe(true);
    expect(conditionsHold(authorized, { [key]: ['NONE'] }, true)).toBe(false);
    expect(conditionsHold(authorized, { [key]: ['JWT', 'NONE'] }, true)).toBe(false);
    expect(conditionsHold(authorized, { [key]: [] }, true)).toBe(false);
  });

  it("takes an unstated key as the caller's choice: an Allow holds, a Deny does not", () => {
    expect(conditionsHold(authorized, {}, true)).toBe(true);
    expect(conditionsHold({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, {}, false)).toBe(false);
  });

  it('decides absent keys as IAM does: IfExists and negated operators hold, others do not', () => {
    const destination = 'apigateway:Request/AccessLoggingDestination';
    const ifExists = {
      StringLikeIfExists: { [destination]: 'arn:aws:logs:eu-west-1:123456789012:log-group:*' },
    };
    expect(conditionsHold(ifExists, { [destination]: [] }, true)).toBe(true);
    expect(
      conditionsHold(ifExists, { [destination]: ['arn:aws:logs:eu-west-1:999999999999:log-group:x'] }, true),
    ).toBe(false);
    expect(conditionsHold({ StringEquals: { [destination]: 'x' } }, { [destination]: [] }, true)).toBe(false);
    expect(conditionsHold({ StringNotEquals: { [destination]: 'x' } }, { [destination]: [] }, true)).toBe(
      true,
    );
    expect(
      conditionsHold(
        { Bool: { 'apigateway:Request/DisableExecuteApiEndpoint': 'true' } },
        { 'apigateway:Request/DisableExecuteApiEndpoint': ['false'] },
        true,
      ),
    ).toBe(false);
  });

  it('refuses an operator it does not model rather than guess', () => {
    expect(() =>
      conditionsHold(
        { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
        { 'aws:MultiFactorAuthAge': ['1'] },
        true,
      ),
    ).toThrow(/NumericLessThan is not modelled/);
  });
});

describe('CloudFormation values', () => {
  const env = {
    partition: 'aws',
    region: 'eu-west-1',
    account: '123456789012',
    parameters: new Set(['CentralEventBusArn']),
  };

  it('fills in pseudo parameters, joins, and names template resources by placeholder', () => {
    expect(
      resolvePolicyValue(
        { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*` },
        env,
      ),
    ).toBe('arn:aws:logs:eu-west-1:123456789012:log-group:*');
    expect(resolvePolicyValue({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs']] }, env)).toBe(
      'arn:aws:sqs',
    );
    expect(resolvePolicyValue({ 'Fn::GetAtt': ['QueueA1B2', 'Arn'] }, env)).toBe('⟨QueueA1B2.Arn⟩');
    expect(resolvePolicyValue({ Ref: 'CentralEventBusArn' }, env)).toBe(ANY_VALUE);
  });
});
