// What the deployment tests share: the CDK app built as `cdk synth` builds it (infra/app.ts
// buildApp) from a settings document, without bundling or the built-in validation, and the IAM
// of a synthesized template read per role.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { buildApp } from '../../infra/app';
import { statementsOf as roleStatements, type TemplateJson } from '../../infra/budget-analysis';

export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string[];
};
export type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  NotAction?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

/** An organization in two regions with Config rules in one account: what most infra tests deploy. */
export const ORGANIZATION_SETTINGS = {
  regions: ['eu-west-1', 'us-east-1'],
  organization: {
    enabled: true,
    organizationId: 'o-a1b2c3d4e5',
    organizationalUnitIds: ['ou-a1b2-c3d4e5f6'],
    memberRegions: ['eu-west-1', 'us-east-1'],
    configRuleAccounts: ['111122223333'],
  },
} as const;

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-deployment-'));
let files = 0;

/** A settings document on disk, for the `settings` context. */
export function settingsFile(content: unknown): string {
  const path = join(dir, `settings-${++files}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** Tests do not read cdk.json: the recommended flags are passed as they are; bundling is skipped. */
export function newApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...flags, 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
}

/** The app `cdk synth` builds for these settings (cdk-nag included). */
export function appFor(settings?: unknown): App {
  const app = newApp(settings === undefined ? {} : { settings: settingsFile(settings) });
  buildApp(app);
  return app;
}

const built = new Map<string, App>();

/**
 * The app for these settings, built and synthesized (cdk-nag run) once per test file and shared
 * by every test of the file that only reads it: add nothing to it (use appFor for an app to edit).
 * Jest gives each test file its own module registry, so the sharing stops at the file.
 */
export function synthesized(settings?: unknown): App {
  const key = JSON.stringify(settings ?? null);
  let app = built.get(key);
  if (!app) {
    app = appFor(settings);
    app.synth();
    built.set(key, app);
  }
  return app;
}

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const logicalIdOf = (construct: { node: { defaultChild?: unknown } }): string => {
  const element = construct.node.defaultChild as CfnElement;
  return Stack.of(element).resolve(Stack.of(element).getLogicalId(element)) as string;
};

/**
 * The statements a role holds: its inline policies, every AWS::IAM::Policy attached to it, and
 * every customer managed policy of the template attached to it (CDK moves statements into
 * managed "overflow" policies when a role's inline policy would pass IAM's size limit).
 */
export function statementsOf(template: Template | Record<string, unknown>, roleId: string): Statement[] {
  const json = (template instanceof Template ? template.toJSON() : template) as TemplateJson;
  return roleStatements(json, roleId) as Statement[];
}

/** The actions a role is allowed (its Deny statements take actions away, they grant none). */
export const actionsOf = (template: Template | Record<string, unknown>, roleId: string): string[] =>
  [
    ...new Set(
      statementsOf(template, roleId)
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) => asList(statement.Action)),
    ),
  ].sort();

/** Changes to what gatewatch judges, or to IAM: what no evaluator may do. */
export const RESOURCE_WRITES =
  /^(apigateway:(?!GET$).+|apigatewayv2:.+|wafv2:(?!(Get|List)).+|waf-regional:(?!(Get|List)).+|iam:(?!(Get|List)).+|logs:(?!(Describe|CreateLogStream$|PutLogEvents$)).+)$/;

/** Every role of a template with the statements that let someone else assume it. */
export function trustsOf(json: { Resources: Record<string, Resource> }): [string, Statement[]][] {
  return Object.entries(json.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .map(([id, resource]) => [
      id,
      (resource.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement,
    ]);
}

/**
 * The statement that confines a function's Powertools idempotency records to its own partition
 * of the baseline table (`idempotency#{scope}`): the persistence layer's four item actions, on
 * the table `tableId`, for keys under that partition only.
 */
export const idempotencyStatement = (tableId: string, scope: string): Statement => ({
  Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`idempotency#${scope}`] } },
  Effect: 'Allow',
  Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
});
