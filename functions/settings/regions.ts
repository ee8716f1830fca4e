// The AWS regions a settings document may name, by partition: the one list gatewatch keeps
// (functions/aws/regions.ts, checked against the SDK's endpoint partitions). A name that is not on
// it — `mars-1`, `eu-west-9`, `Ireland` — is refused rather than deployed to: CloudFormation would
// fail late, or an IAM policy would quietly grant a region that does not exist.
import { awsRegionsByPartition } from '../aws/regions';

export const partitions: Readonly<Record<keyof typeof awsRegionsByPartition, readonly string[]>> =
  awsRegionsByPartition;

export type Partition = keyof typeof partitions;

const partitionByRegion: ReadonlyMap<string, Partition> = new Map(
  (Object.entries(partitions) as [Partition, readonly string[]][]).flatMap(([partition, regions]) =>
    regions.map((region) => [region, partition] as const),
  ),
);

export const isPartition = (name: string): name is Partition => Object.hasOwn(partitions, name);

/** The partition of a region AWS has, or undefined for a name AWS has no region by. */
export const partitionOfRegion = (region: string): Partition | undefined => partitionByRegion.get(region);

/** Why `region` is not a region, or undefined when it is one. */
export function regionProblem(region: string): string | undefined {
  if (partitionByRegion.has(region)) return undefined;
  return /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(region)
    ? `${region} is not an AWS region (see functions/aws/regions.ts for those gatewatch knows)`
    : 'expected an AWS region like eu-west-1';
}
