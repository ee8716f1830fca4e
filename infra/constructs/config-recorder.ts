// An AWS Config recorder for accounts that have none: it records only the API Gateway
// resource types gatewatch judges and delivers to an encrypted bucket of its own. An account
// (and region) has at most one recorder, so the stack creates it only when asked
// (`cdk deploy -c createConfigRecorder=true`); with an existing recorder, make sure it records
// the types in `recordedResourceTypes` instead.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { itemResourceTypes } from '../../aws/config/items';

/** What Config must record for the gatewatch rules to be triggered by changes. */
export const recordedResourceTypes: readonly string[] = itemResourceTypes;

export class ConfigRecorder extends Construct {
  readonly bucket: s3.Bucket;
  readonly recorder: config.CfnConfigurationRecorder;
  readonly deliveryChannel: config.CfnDeliveryChannel;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const account = Stack.of(this).account;

    this.bucket = new s3.Bucket(this, 'History', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only AWS Config writes to this bucket (its configuration history and snapshots); reads are recorded by ' +
        'CloudTrail, and a log bucket for it would need a log bucket of its own.',
    });
    // AWS Config delivers with its service principal, for this account only.
    const fromConfig = {
      principals: [new iam.ServicePrincipal('config.amazonaws.com')],
      conditions: { StringEquals: { 'AWS:SourceAccount': account } },
    };
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        ...fromConfig,
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    const deliveryPath = this.bucket.arnForObjects(`AWSLogs/${account}/Config/*`);
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: fromConfig.principals,
        actions: ['s3:PutObject'],
        resources: [deliveryPath],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      }),
    );

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
      description: 'Lets AWS Config record the API Gateway resources gatewatch judges',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
      reason:
        'AWS_ConfigRole is the policy AWS documents for a configuration recorder: it reads what Config records.',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [deliveryPath],
        conditions: { StringLike: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    const bucketId = Stack.of(this).resolve(
      Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket),
    ) as string;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/AWSLogs/<AWS::AccountId>/Config/*]`,
      reason: 'Config writes one object per delivery under its own prefix of its own bucket.',
    });

    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: role.roleArn,
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: [...recordedResourceTypes],
        recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
    });
    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'Delivery', {
      s3BucketName: this.bucket.bucketName,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    this.deliveryChannel.node.addDependency(this.recorder);
    if (this.bucket.policy) this.deliveryChannel.node.addDependency(this.bucket.policy);
  }
}

/** Whether the app was asked for a recorder: `-c createConfigRecorder=true` (or `true` in cdk.json). */
export const wantsConfigRecorder = (value: unknown) => value === true || value === 'true';
