// The AWS partitions and the regions of each, as listed in the AWS SDK v3's endpoint partitions
// (@aws-sdk/core 3.981, December 2026). test/aws/regions.test.ts fails when the installed
// SDK knows a region this list lacks, so a dependency bump shows new regions. A region belongs to
// exactly one partition, so a resource's partition always follows from its region.

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

export type Partition = keyof typeof awsRegionsByPartition;
export type AwsRegion = (typeof awsRegionsByPartition)[Partition][number];

export const partitions: Readonly<Record<Partition, readonly string[]>> = awsRegionsByPartition;

const partitionByRegion: ReadonlyMap<string, Partition> = new Map(
  (Object.entries(partitions) as [Partition, readonly string[]][]).flatMap(([partition, regions]) =>
    regions.map((region) => [region, partition] as const),
  ),
);

export const isPartition = (name: string): name is Partition => Object.hasOwn(partitions, name);

/** The partition of a region AWS has, or undefined for a name AWS has no region by. */
export const partitionOfRegion = (region: string): Partition | undefined => partitionByRegion.get(region);
