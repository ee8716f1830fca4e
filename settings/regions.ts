// The AWS regions a settings document may name, by partition: the one list gatewatch keeps
// (model/partitions.ts, checked against the SDK's endpoint partitions). A name that is not on
// it — `mars-1`, `eu-west-9`, `Ireland` — is refused rather than deployed to: CloudFormation would
// fail late, or an IAM policy would quietly grant a region that does not exist.
import { isPartition, type Partition, partitionOfRegion, partitions } from '../model/partitions';

export { isPartition, type Partition, partitionOfRegion, partitions };

/** Why `region` is not a region, or undefined when it is one. */
export function regionProblem(region: string): string | undefined {
  if (partitionOfRegion(region) !== undefined) return undefined;
  return /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(region)
    ? `${region} is not an AWS region (see aws/regions.ts for those gatewatch knows)`
    : 'expected an AWS region like eu-west-1';
}
