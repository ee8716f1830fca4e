// Every gatewatch Lambda function is built the same way: the newest Node.js runtime on ARM64,
// bundled locally with esbuild (no Docker), its own role that may write only to its own log
// group, and a log group with a retention period instead of the deprecated `logRetention`.
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../observe/metrics';
import { settingsDefine } from '../settings';

/** The repository root: bundling resolves entries and the lockfile from here, whatever the working directory. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface GatewatchFunctionProps {
  /** The handler's source, relative to the repository root (e.g. `handlers/drift.ts`). */
  readonly entry: string;
  /** The exported handler function. */
  readonly handler?: string;
  /** Its `service` (observe/metrics.ts serviceNames): the logs' service and the metrics' dimension. */
  readonly service: string;
  readonly description: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default one minute */
  readonly timeout?: Duration;
  /** @default 512 MiB */
  readonly memorySize?: number;
  /** @default three months */
  readonly logRetention?: logs.RetentionDays;
}

export interface GatewatchFunction {
  readonly function: NodejsFunction;
  /** The function's own role: it starts with write access to its log group and nothing else. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

export function gatewatchFunction(
  scope: Construct,
  id: string,
  props: GatewatchFunctionProps,
): GatewatchFunction {
  const construct = new Construct(scope, id);
  const logGroup = new logs.LogGroup(construct, 'Logs', {
    retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // An explicit role instead of the default one, whose AWS managed policy
  // (AWSLambdaBasicExecutionRole) may write to every log group of the account.
  const role = new iam.Role(construct, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs ${props.description}`,
  });
  logGroup.grantWrite(role);

  const fn = new NodejsFunction(construct, 'Function', {
    entry: path.join(PROJECT_ROOT, props.entry),
    handler: props.handler ?? 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
    description: props.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize ?? 512,
    timeout: props.timeout ?? Duration.minutes(1),
    role,
    logGroup,
    // Stack traces name the TypeScript sources (the bundle ships its source map).
    // Powertools reads its service, metric namespace and log level from the environment.
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: props.service,
      POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...props.environment,
    },
    bundling: {
      format: OutputFormat.CJS,
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      // The SDK versions the tests ran against, not whatever the runtime ships.
      bundleAwsSDK: true,
      forceDockerBundling: false,
      // The validated settings document, baked in (infra/settings.ts says why not an environment variable).
      define: settingsDefine(scope),
    },
  });
  return { function: fn, role, logGroup };
}
