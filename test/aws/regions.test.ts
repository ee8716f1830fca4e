import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsRegionSchema, awsRegions, isAwsRegion } from '../../aws/regions';

describe('the AWS region list', () => {
  it('holds every region the installed AWS SDK knows (a dependency bump that adds one fails here)', () => {
    // Prepare: the SDK's endpoint partitions, as shipped in @aws-sdk/core.
    const partitions = readFileSync(
      join(
        require.resolve('@aws-sdk/core/package.json'),
        '..',
        'dist-cjs',
        'submodules',
        'client',
        'index.js',
      ),
      'utf8',
    );
    const known = [...partitions.matchAll(/"([a-z]{2,4}(?:-[a-z]+)+-\d+)":\s*\{\s*"?description/g)].map(
      (m) => m[1],
    );

    // Assess
    expect(known.length).toBeGreaterThan(30);
    expect([...new Set(known)].sort()).toEqual([...awsRegions].sort());
  });

  it('refuses a name shaped like a region that is not one', () => {
    expect(isAwsRegion('eu-west-1')).toBe(true);
    expect(isAwsRegion('mars-1')).toBe(false);
    expect(isAwsRegion('eu-west-9')).toBe(false);
    expect(awsRegionSchema.safeParse('us-gov-west-1').success).toBe(true);
  });
});
