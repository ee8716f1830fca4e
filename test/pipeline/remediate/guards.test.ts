// Each guard on its own: what stops a remediation, what lets it through, and the reason a
// person reads in the notification.
import {
  effectiveMode,
  exemptionGuard,
  iacGuard,
  idempotencyGuard,
  isRole,
  loopGuard,
  matchesPattern,
  modeGuard,
  optOutGuard,
  rateLimitGuard,
  remediable,
  stillNonCompliantGuard,
} from '../../../pipeline/remediate/guards';
import type { AnyRule } from '../../../rules/core/rule';
import { findRule } from '../../../rules/index';
import { parseSettings } from '../../../settings/schema';

const rule = (id: string) => findRule(id) as AnyRule;
const STAGE = 'arn:aws:apigateway:eu-west-1::/restapis/k3x9p2a7qd/stages/prod';
const OWN_ROLE = 'arn:aws:iam::111122223333:role/Gatewatch-RemediationHandlerRole1A2B3C-XYZ';
const OWN_SESSION =
  'arn:aws:sts::111122223333:assumed-role/Gatewatch-RemediationHandlerRole1A2B3C-XYZ/Gatewatch-RemediationHandler';
const ALICE =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developers_0123456789abcdef/alice@tidewater.example';

describe('which verdicts are remediated', () => {
  it('takes news of non-compliance on what a stage serves, and nothing else', () => {
    const base = { status: 'NON_COMPLIANT', change: 'new' } as const;
    expect(remediable(base as never)).toBe(true);
    expect(remediable({ ...base, pending: true } as never)).toBe(false);
    expect(remediable({ ...base, change: 'resolved' } as never)).toBe(false);
    expect(remediable({ ...base, status: 'ERROR' } as never)).toBe(false);
  });
});

describe('modeGuard', () => {
  it('allows a rule switched to remediate', () => {
    const settings = parseSettings({ rules: { 'rest-stage-xray-tracing': { mode: 'remediate' } } });
    expect(modeGuard(settings, rule('rest-stage-xray-tracing'))).toEqual({ allow: true });
  });

  it('stops a rule in notify or off mode', () => {
    const settings = parseSettings({
      defaultMode: 'notify',
      rules: { 'rest-stage-waf-attached': { mode: 'off' } },
    });
    expect(modeGuard(settings, rule('rest-stage-xray-tracing'))).toEqual({
      allow: false,
      action: 'skipped',
      reason: 'Remediation of rest-stage-xray-tracing is not switched on (defaultMode is notify).',
    });
    expect(modeGuard(settings, rule('rest-stage-waf-attached'))).toMatchObject({
      allow: false,
      reason: expect.stringContaining('rules.rest-stage-waf-attached.mode is off'),
    });
  });

  it('lets defaultMode switch on only fixes that cannot break clients', () => {
    const settings = parseSettings({ defaultMode: 'remediate' });
    expect(modeGuard(settings, rule('rest-stage-xray-tracing'))).toEqual({ allow: true });
    expect(effectiveMode(settings, rule('rest-method-authorization')).mode).toBe('notify');
    expect(modeGuard(settings, rule('domain-tls-policy'))).toMatchObject({
      allow: false,
      reason: expect.stringContaining('set rules.domain-tls-policy.mode to "remediate"'),
    });
  });

  it('stops a rule that declares no remediation', () => {
    const settings = parseSettings({ defaultMode: 'remediate' });
    expect(modeGuard(settings, rule('rest-stage-throttling'))).toMatchObject({
      allow: false,
      action: 'skipped',
    });
  });
});

describe('optOutGuard', () => {
  const tagKey = 'gatewatch:opt-out';

  it('stops on the tag of the stage or of its API, with value all or the rule id', () => {
    expect(
      optOutGuard(tagKey, 'rest-stage-xray-tracing', [
        { what: 'Stage prod', tags: {} },
        { what: 'Its API orders-api', tags: { [tagKey]: 'rest-stage-waf-attached rest-stage-xray-tracing' } },
      ]),
    ).toEqual({
      allow: false,
      action: 'skipped',
      reason:
        'Its API orders-api is tagged gatewatch:opt-out=rest-stage-waf-attached rest-stage-xray-tracing: gatewatch does not change it for rest-stage-xray-tracing.',
    });
    expect(
      optOutGuard(tagKey, 'rest-stage-xray-tracing', [{ what: 'Stage prod', tags: { [tagKey]: 'all' } }]),
    ).toMatchObject({ allow: false });
  });

  it('allows when the tag names other rules or is absent', () => {
    expect(
      optOutGuard(tagKey, 'rest-stage-xray-tracing', [
        { what: 'Stage prod', tags: { [tagKey]: 'rest-stage-waf-attached' } },
      ]),
    ).toEqual({ allow: true });
    expect(
      optOutGuard(tagKey, 'rest-stage-xray-tracing', [{ what: 'Stage prod', tags: { team: 'orders' } }]),
    ).toEqual({
      allow: true,
    });
  });
});

describe('exemptionGuard', () => {
  const now = new Date('2026-11-23T09:30:00Z');
  const exemption = {
    rule: 'rest-stage-waf-attached',
    resource: 'arn:aws:apigateway:*::/restapis/k3x9p2a7qd/*',
    reason: 'Load test behind a private allowlist',
    expires: '2026-11-23',
  };

  it('stops while an exemption matching the rule and resource holds (through its last day)', () => {
    expect(exemptionGuard([exemption], 'rest-stage-waf-attached', STAGE, now)).toEqual({
      allow: false,
      action: 'skipped',
      reason: `${STAGE} is exempt from rest-stage-waf-attached until 2026-11-23 (Load test behind a private allowlist).`,
    });
    expect(
      exemptionGuard([{ ...exemption, rule: '*' }], 'rest-stage-xray-tracing', STAGE, now),
    ).toMatchObject({
      allow: false,
    });
  });

  it('allows, and reports, once the exemption expired', () => {
    const later = new Date('2026-11-24T00:00:01Z');
    expect(exemptionGuard([exemption], 'rest-stage-waf-attached', STAGE, later)).toEqual({
      allow: true,
      notes: [
        'The exemption of arn:aws:apigateway:*::/restapis/k3x9p2a7qd/* from rest-stage-waf-attached ("Load test behind a private allowlist") expired on 2026-11-23 and no longer applies.',
      ],
    });
  });

  it('ignores exemptions of other rules or resources', () => {
    expect(exemptionGuard([exemption], 'rest-stage-xray-tracing', STAGE, now)).toEqual({ allow: true });
    expect(
      exemptionGuard(
        [exemption],
        'rest-stage-waf-attached',
        'arn:aws:apigateway:eu-west-1::/restapis/other/stages/prod',
        now,
      ),
    ).toEqual({ allow: true });
  });

  it('matches * as any run of characters and nothing else as a wildcard', () => {
    expect(
      matchesPattern(
        'arn:aws:apigateway:*::/restapis/a.b/*',
        'arn:aws:apigateway:eu-west-1::/restapis/a.b/stages/x',
      ),
    ).toBe(true);
    expect(
      matchesPattern(
        'arn:aws:apigateway:*::/restapis/a.b/*',
        'arn:aws:apigateway:eu-west-1::/restapis/aXb/stages/x',
      ),
    ).toBe(false);
  });
});

describe('loopGuard', () => {
  it("stops changes made by gatewatch's own role", () => {
    expect(isRole(OWN_SESSION, OWN_ROLE)).toBe(true);
    expect(loopGuard({ actor: OWN_SESSION }, OWN_ROLE, [])).toEqual({
      allow: false,
      action: 'skipped',
      reason: `The change was made by gatewatch's own role (${OWN_SESSION}); it is not remediated again.`,
    });
  });

  it('stops changes made by a trusted principal, by pattern or by role', () => {
    expect(
      loopGuard({ actor: 'arn:aws:iam::111122223333:user/ci-deployer' }, OWN_ROLE, [
        'arn:aws:iam::*:user/ci-*',
      ]),
    ).toMatchObject({ allow: false, reason: expect.stringContaining('a trusted principal') });
    expect(
      loopGuard({ actor: ALICE }, OWN_ROLE, [
        'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developers_0123456789abcdef',
      ]),
    ).toMatchObject({ allow: false });
  });

  it('allows anyone else, and a role of the same name in another account', () => {
    expect(loopGuard({ actor: ALICE }, OWN_ROLE, [])).toEqual({ allow: true });
    expect(loopGuard({ actor: OWN_SESSION.replace('111122223333', '444455556666') }, OWN_ROLE, [])).toEqual({
      allow: true,
    });
  });
});

describe('iacGuard', () => {
  it('reports changes made by CloudFormation as IaC drift instead of fighting them', () => {
    const byStack = {
      actor: 'arn:aws:sts::111122223333:assumed-role/cdk-deploy/AWSCloudFormation',
      invokedBy: 'cloudformation.amazonaws.com',
      userAgent: 'cloudformation.amazonaws.com',
    };
    expect(iacGuard(byStack)).toMatchObject({
      allow: false,
      action: 'skipped',
      reason: expect.stringMatching(/^IaC drift: /),
    });
    expect(iacGuard({ ...byStack, invokedBy: null })).toMatchObject({ allow: false });
  });

  it('allows changes made by people and other tools', () => {
    expect(iacGuard({ actor: ALICE, invokedBy: null, userAgent: 'aws-cli/2.22.0' })).toEqual({ allow: true });
  });
});

describe('rateLimitGuard', () => {
  const limits = { maxPerWindow: 3, windowMinutes: 60, trustedPrincipals: [] };

  it('allows below the limit and escalates at it', () => {
    expect(rateLimitGuard(2, limits, 'rest-stage-xray-tracing', STAGE)).toEqual({ allow: true });
    expect(rateLimitGuard(3, limits, 'rest-stage-xray-tracing', STAGE)).toEqual({
      allow: false,
      action: 'escalated',
      reason: `gatewatch already remediated rest-stage-xray-tracing on ${STAGE} 3 times in the last 60 minutes (limit 3); something keeps undoing the fix, so a person must look.`,
    });
  });
});

describe('idempotencyGuard and stillNonCompliantGuard', () => {
  it('allows the first delivery of an event and stops the second', () => {
    expect(idempotencyGuard(true, 'e1')).toEqual({ allow: true });
    expect(idempotencyGuard(false, 'e1')).toMatchObject({
      allow: false,
      action: 'skipped',
      reason: expect.stringContaining('delivered twice'),
    });
  });

  it('acts only while the resource read again is still non-compliant', () => {
    expect(stillNonCompliantGuard('NON_COMPLIANT', 'x')).toEqual({ allow: true });
    expect(stillNonCompliantGuard('COMPLIANT', 'Stage prod has AWS X-Ray active tracing on.')).toEqual({
      allow: false,
      action: 'skipped',
      reason:
        'Read again just before acting, the resource is no longer non-compliant: Stage prod has AWS X-Ray active tracing on.',
    });
    expect(stillNonCompliantGuard('ERROR', 'could not read')).toMatchObject({ allow: false });
  });
});
