// The AWS regions gatewatch accepts, by partition, as listed in the AWS SDK v3's endpoint
// partitions (@aws-sdk/core 3.981, December 2026). test/functions/aws/regions.test.ts fails when
// the installed SDK knows a region this list lacks, so a dependency bump shows new regions.
// A region name that is not here cannot mean what it says: it is refused, never sent to AWS.
import * as z from 'zod/mini';

export const awsRegionsByPartition = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-eusc': ['eusc-de-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
} as const;

export type AwsRegion = (typeof awsRegionsByPartition)[keyof typeof awsRegionsByPartition][number];

export const awsRegions: readonly AwsRegion[] = Object.values(awsRegionsByPartition).flat();

const known = new Set<string>(awsRegions);
export const isAwsRegion = (name: string): name is AwsRegion => known.has(name);

/** A region name, checked against the list: "mars-1 is not an AWS region (…)". */
export const awsRegionSchema = z.string().check(
  z.refine(isAwsRegion, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an AWS region; known regions: ${awsRegions.join(', ')}`,
  }),
);
