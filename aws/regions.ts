// The AWS regions gatewatch accepts, by partition: the list model/partitions.ts keeps.
// A region name that is not here cannot mean what it says: it is refused, never sent to AWS.
import * as z from 'zod/mini';
import { type AwsRegion, awsRegionsByPartition } from '../model/partitions';

export { type AwsRegion, awsRegionsByPartition };

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
