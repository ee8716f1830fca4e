// Settings that cannot mean what they say are refused, naming the field: impossible dates,
// ARNs and ARN patterns that name nothing, regions AWS does not have, deployment fields that
// contradict each other. The same parseSettings serves `cdk synth`, the CLI's --settings (exit 2,
// one line) and the functions (a bad bundled document stops them at start, logged once).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { ValidationError } from '../../rules/core/validation';
import { loadSettings, resetSettingsCache } from '../../settings/load';
import { parseSettings, SettingsError } from '../../settings/schema';

const exemption = (fields: Record<string, unknown>) => ({
  exemptions: [
    {
      rule: 'rest-stage-waf-attached',
      resource: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/*',
      reason: 'Load test until Friday',
      expires: '2027-01-31',
      ...fields,
    },
  ],
});
const organization = (
  fields: Record<string, unknown> = {},
  regions: string[] = ['eu-west-1', 'us-east-1'],
) => ({
  regions,
  organization: {
    enabled: true,
    organizationId: 'o-a1b2c3d4e5',
    organizationalUnitIds: ['ou-a1b2-c3d4e5f6'],
    memberRegions: ['eu-west-1', 'us-east-1'],
    ...fields,
  },
});

/** The field a refusal names first, and its whole message. */
function refusal(input: unknown): { field: string; message: string } {
  try {
    parseSettings(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    expect(error).toBeInstanceOf(ValidationError);
    return { field: (error as SettingsError).field, message: (error as Error).message };
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('dates', () => {
  it.each([
    ['2027-13-45', /has no month 13/],
    ['2027-02-30', /not a day of the calendar/],
    ['2026-02-29', /not a day of the calendar/],
    ['2027-04-31', /not a day of the calendar/],
    ['2027-00-10', /has no month 00/],
    ['2027-01-31T25:00:00Z', /not a time of day/],
    ['2027-01-31T23:61Z', /not a time of day/],
    ['2027-01-31T12:00:60Z', /not a time of day/],
    ['2027-01-31T12:00:00', /with Z or an offset/],
    ['2027-01-31T12:00:00+25:00', /no such UTC offset/],
    ['31/01/2027', /expected a date like 2027-01-31/],
    ['2027-1-31', /expected a date like/],
    ['tomorrow', /expected a date like/],
  ])('refuses expires %s', (expires, reason) => {
    const { field, message } = refusal(exemption({ expires }));
    expect(field).toBe('exemptions.0.expires');
    expect(message).toMatch(reason);
  });

  it.each([
    '2027-01-31',
    '2028-02-29',
    '2000-02-29',
    '2027-01-31T18:00Z',
    '2027-01-31T18:00:00Z',
    '2027-01-31T18:00:00.250Z',
    '2027-01-31T20:00:00+02:00',
    '2027-01-31T13:30:00-04:30',
  ])('accepts expires %s, which means one instant', (expires) => {
    const settings = parseSettings(exemption({ expires }));
    expect(Number.isFinite(Date.parse(settings.exemptions[0]?.expires as string))).toBe(true);
  });
});

describe('ARNs and ARN patterns', () => {
  it.each([
    [{ resource: 'restapis/a1b2c3d4e5' }, 'exemptions.0.resource', /expected an ARN \(arn:partition/],
    [
      { resource: 'arn:aws:apigateway:mars-1::/restapis/a1b2c3d4e5' },
      'exemptions.0.resource',
      /"mars-1" is not an AWS region/,
    ],
    [
      { resource: 'arn:aws:s3:::my-bucket' },
      'exemptions.0.resource',
      /expected an API Gateway resource ARN, not an ARN of s3/,
    ],
    [{ resource: 'arn:aws:apigateway:eu-west-1::' }, 'exemptions.0.resource', /names no resource/],
    [
      { resource: 'arn:amazon:apigateway:*::/restapis/*' },
      'exemptions.0.resource',
      /"amazon" is not an AWS partition/,
    ],
    [
      { resource: 'arn:aws:apigateway:cn-north-1::/restapis/*' },
      'exemptions.0.resource',
      /cn-north-1 is in partition aws-cn, not aws/,
    ],
    [{ resource: 'arn:aws:apigateway' }, 'exemptions.0.resource', /expected an ARN/],
    [{ resource: '' }, 'exemptions.0.resource', /expected an ARN/],
  ])('refuses the exemption resource %j', (fields, expectedField, reason) => {
    const { field, message } = refusal(exemption(fields));
    expect(field).toBe(expectedField);
    expect(message).toMatch(reason);
  });

  it.each([
    '*',
    'arn:aws:apigateway:*::/restapis/a1b2c3d4e5/*',
    'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod',
    'arn:*:apigateway:*::/apis/*',
    'arn:aws-cn:apigateway:cn-north-1::/restapis/*',
  ])('accepts the exemption resource %s', (resource) => {
    expect(parseSettings(exemption({ resource })).exemptions[0]?.resource).toBe(resource);
  });

  it('refuses trusted principals, publishers and the webhook secret that are not what they name', () => {
    expect(refusal({ remediation: { trustedPrincipals: ['ci-*'] } }).field).toBe(
      'remediation.trustedPrincipals.0',
    );
    expect(refusal({ remediation: { trustedPrincipals: ['arn:aws:iam::1234:role/ci-*'] } }).message).toMatch(
      /"1234" is not a 12-digit account id/,
    );
    expect(
      refusal({ remediation: { trustedPrincipals: ['arn:aws:lambda:eu-west-1:111122223333:*'] } }).message,
    ).toMatch(/IAM or STS principal/);
    expect(
      parseSettings({
        remediation: { trustedPrincipals: ['arn:aws:iam::111122223333:role/ci-*', 'arn:aws:sts::*'] },
      }).remediation.trustedPrincipals,
    ).toHaveLength(2);
    expect(refusal({ notifications: { publishers: ['arn:aws:iam::111122223333:group/ops'] } }).field).toBe(
      'notifications.publishers.0',
    );
    const secret = refusal({
      notifications: { slackWebhookSecretArn: 'arn:aws:secretsmanager:mars-1:111122223333:secret:slack' },
    });
    expect(secret).toEqual({
      field: 'notifications.slackWebhookSecretArn',
      message: expect.stringMatching(/mars-1/),
    });
    expect(
      refusal({
        notifications: { slackWebhookSecretArn: 'arn:aws:ssm:eu-west-1:111122223333:parameter/slack' },
      }).message,
    ).toMatch(/Secrets Manager secret ARN/);
  });

  it('refuses a rule parameter named …Arn or …Arns that holds no ARN', () => {
    const webAcl = refusal({
      rules: { 'rest-stage-waf-attached': { parameters: { defaultWebAclArn: 'api-baseline' } } },
    });
    expect(webAcl.field).toBe('rules.rest-stage-waf-attached.parameters.defaultWebAclArn');
    const allowed = refusal({
      rules: {
        'rest-stage-waf-attached': {
          parameters: {
            allowedWebAclArns: [
              'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/a/1',
              'arn:aws:wafv2:eu-west-9:111122223333:regional/webacl/b/2',
            ],
          },
        },
      },
    });
    expect(allowed).toEqual({
      field: 'rules.rest-stage-waf-attached.parameters.allowedWebAclArns.1',
      message: expect.stringMatching(/"eu-west-9" is not an AWS region/),
    });
  });
});

describe('regions', () => {
  it.each([
    ['mars-1', /expected an AWS region like eu-west-1/],
    ['eu-west-9', /eu-west-9 is not an AWS region/],
    ['Ireland', /expected an AWS region like eu-west-1/],
    ['us-gov-north-1', /not an AWS region/],
  ])('refuses %s', (region, reason) => {
    const { field, message } = refusal({ regions: ['eu-west-1', region] });
    expect(field).toBe('regions.1');
    expect(message).toMatch(reason);
  });

  it('accepts the regions of every partition, one partition per deployment', () => {
    expect(parseSettings({ regions: ['us-gov-west-1', 'us-gov-east-1'] }).regions).toHaveLength(2);
    expect(parseSettings({ regions: ['cn-north-1', 'cn-northwest-1'] }).regions).toHaveLength(2);
    expect(parseSettings({ regions: ['ap-southeast-7', 'mx-central-1'] }).regions).toHaveLength(2);
    expect(refusal({ regions: ['eu-west-1', 'cn-north-1'] })).toEqual({
      field: 'regions.1',
      message: expect.stringMatching(/cn-north-1 is in partition aws-cn, the home region eu-west-1 in aws/),
    });
    expect(refusal({ regions: ['eu-west-1', 'eu-west-1'] }).message).toMatch(
      /regions: eu-west-1 is listed twice/,
    );
  });
});

describe('an organization', () => {
  it('is accepted when its regions are covered', () => {
    expect(parseSettings(organization()).organization?.memberRegions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('refuses a central region that is not a member region', () => {
    expect(refusal(organization({ memberRegions: ['us-east-1'] }))).toEqual({
      field: 'organization.memberRegions',
      message: expect.stringMatching(
        /the central region eu-west-1 \(regions\.0\) must be one of the member regions/,
      ),
    });
  });

  it('refuses a member region the central account does not cover', () => {
    expect(refusal(organization({ memberRegions: ['eu-west-1', 'ap-south-1'] }))).toEqual({
      field: 'organization.memberRegions.1',
      message: expect.stringMatching(/ap-south-1 is not in regions/),
    });
  });

  it('refuses an organization without a central region, and lists repeated ids', () => {
    expect(refusal(organization({}, [])).field).toBe('regions');
    expect(refusal(organization({ memberRegions: ['eu-west-1', 'mars-1'] })).field).toBe(
      'organization.memberRegions.1',
    );
    expect(
      refusal(organization({ organizationalUnitIds: ['ou-a1b2-c3d4e5f6', 'ou-a1b2-c3d4e5f6'] })).message,
    ).toMatch(/organization\.organizationalUnitIds: ou-a1b2-c3d4e5f6 is listed twice/);
    expect(refusal(organization({ configRuleAccounts: ['111122223333', '111122223333'] })).field).toBe(
      'organization.configRuleAccounts',
    );
  });
});

describe('the other fields', () => {
  it('refuses exemptions of rules that do not exist and Slack ids that are not ids', () => {
    expect(refusal(exemption({ rule: 'rest-stage-waf' })).field).toBe('exemptions.0.rule');
    expect(
      refusal({ notifications: { slack: { workspaceId: 'my workspace', channelId: 'C0123' } } }).field,
    ).toBe('notifications.slack.workspaceId');
  });
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-strict-'));
  const file = (content: unknown) => {
    const path = join(dir, `settings-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it.each([
    ['conformance-pack', [] as string[]],
    ['replay', [join(__dirname, '../../examples/drift/events')]],
  ])('%s --settings refuses an impossible date: exit 2, one line naming the field', async (command, rest) => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const written: string[] = [];
    try {
      const code = await main([command, '--settings', file(exemption({ expires: '2027-13-45' })), ...rest], {
        write: (text: string) => void written.push(text),
      } as never);
      expect(code).toBe(2);
      const lines = stderr.mock.calls
        .map(([text]) => String(text))
        .join('')
        .trimEnd()
        .split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^gatewatch \S+: Settings file .* is invalid: exemptions\.0\.expires: 2027-13-45 has no month 13$/,
      );
      expect(written.join('')).toBe('');
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('the functions', () => {
  afterEach(() => {
    delete process.env.GATEWATCH_SETTINGS;
    resetSettingsCache();
  });

  it('refuse a bad bundled document with one log line naming the field, then the same error every time', () => {
    process.env.GATEWATCH_SETTINGS = JSON.stringify(exemption({ expires: '2027-13-45' }));
    const lines: { level: string; message: string; field?: string }[] = [];
    const logger = {
      log: (level: string, message: string, fields = {}) => void lines.push({ level, message, ...fields }),
    };
    expect(() => loadSettings(logger)).toThrow(SettingsError);
    expect(() => loadSettings(logger)).toThrow(/exemptions\.0\.expires: 2027-13-45 has no month 13/);
    expect(lines).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(
          /^gatewatch cannot start: The bundled settings \(GATEWATCH_SETTINGS\) is invalid: exemptions\.0\.expires/,
        ),
        errorType: 'SettingsError',
        field: 'exemptions.0.expires',
      },
    ]);
    // A good document (a new deployment) is read afresh.
    process.env.GATEWATCH_SETTINGS = JSON.stringify({ dryRun: false });
    expect(loadSettings(logger).dryRun).toBe(false);
  });

  it('fail at init inside Lambda, before any record', () => {
    const script = `process.env.AWS_LAMBDA_FUNCTION_NAME='gatewatch-drift';process.env.GATEWATCH_SETTINGS=${JSON.stringify(
      JSON.stringify({ regions: ['mars-1'] }),
    )};require('./settings/load');`;
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    const logLine = run.stderr.split('\n').find((line) => line.startsWith('{'));
    expect(JSON.parse(logLine as string)).toMatchObject({
      level: 'error',
      service: 'settings',
      field: 'regions.0',
      message: expect.stringMatching(
        /gatewatch cannot start: .*regions\.0: expected an AWS region like eu-west-1/,
      ),
    });
  });
});
