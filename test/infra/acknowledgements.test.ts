// cdk-nag acknowledgements name one finding each, never pre-approve what comes later: a wildcard
// resource is acknowledged by its exact pattern, and `Resource::*` only on a policy of its own that
// holds nothing but actions AWS gives no resource-level permissions. Adding a `*` or a broader
// pattern to a gatewatch role fails synthesis.
import { type App, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { GatewatchStack } from '../../infra/gatewatch-stack';
import { appFor, asList, ORGANIZATION_SETTINGS } from '../support/infra';

/**
 * Actions the Service Authorization Reference lists with no resource type: `*` is their only
 * resource. A new one is looked up there before it joins this list.
 */
const WITHOUT_RESOURCE_LEVEL = new Set([
  'cloudwatch:GetMetricData',
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'logs:CreateLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  // The Service Authorization Reference lists no resource type for it: it lists the region's trails.
  'cloudtrail:DescribeTrails',
]);

/** Every acknowledgement in an app: the construct it is on and the finding it names. */
function acknowledgementsOf(app: App): { construct: IConstruct; id: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([key, reason]) => ({
          construct,
          id: key.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe.each([
  ['one account', () => appFor({ regions: ['eu-west-1', 'us-east-1'] })],
  ['an organization', () => appFor(ORGANIZATION_SETTINGS)],
])('acknowledgements for %s', (_name, build) => {
  const app = build();
  const acknowledgements = acknowledgementsOf(app);
  const wildcards = acknowledgements.filter((ack) => ack.id.startsWith('AwsSolutions-IAM5'));

  it('name one finding each, with a reason', () => {
    expect(wildcards.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      expect({ id: ack.id, reason: ack.reason.length > 20 }).toEqual({ id: ack.id, reason: true });
    }
    for (const ack of wildcards) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[(Resource|Action)::[^\]]+\]$/);
  });

  it('acknowledge Resource::* only on a policy of its own, holding only actions without resource-level permissions', () => {
    const everywhere = wildcards.filter((ack) => ack.id === 'AwsSolutions-IAM5[Resource::*]');
    expect(everywhere.length).toBeGreaterThan(0);
    for (const { construct, reason } of everywhere) {
      expect({
        path: construct.node.path,
        policy: construct instanceof iam.Policy || construct instanceof iam.ManagedPolicy,
      }).toEqual({
        path: construct.node.path,
        policy: true,
      });
      const document = (construct as iam.Policy | iam.ManagedPolicy).document.toJSON() as {
        Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
      };
      for (const statement of document.Statement.filter((candidate) => candidate.Effect === 'Allow')) {
        const actions = asList(statement.Action);
        expect({
          path: construct.node.path,
          unscopable: actions.filter((a) => !WITHOUT_RESOURCE_LEVEL.has(a)),
        }).toEqual({
          path: construct.node.path,
          unscopable: [],
        });
        // The reason names what it covers.
        for (const action of actions) expect(reason).toContain(action);
      }
    }
  });
});

describe('a wildcard added later', () => {
  const withRemediatorStatement = (statement: iam.PolicyStatement) => {
    const app = appFor();
    const stack = app.node.findChild('Gatewatch') as GatewatchStack;
    stack.remediation.role.addToPrincipalPolicy(statement);
    return app;
  };

  it('on every resource fails synthesis: no acknowledgement covers it', () => {
    const app = withRemediatorStatement(
      new iam.PolicyStatement({ actions: ['apigateway:PATCH'], resources: ['*'] }),
    );
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });

  it('on a broader API Gateway path fails synthesis too', () => {
    const app = withRemediatorStatement(
      new iam.PolicyStatement({
        actions: ['apigateway:PATCH'],
        resources: ['arn:aws:apigateway:eu-west-1::/restapis/*'],
      }),
    );
    expect(() => app.synth()).toThrow(
      /AwsSolutions-IAM5\[Resource::arn:aws:apigateway:eu-west-1::\/restapis\/\*\]/,
    );
  });
});
