// Saved inventories: written by `gatewatch scan --save-inventory`, read back by `--inventory`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInventory, readInventory, writeInventory } from '../../../aws/read/inventory-file';
import { normalise } from '../../../aws/read/normalise';
import type { Inventory } from '../../../aws/read/schema';
import { scanInventory } from '../../../pipeline/scan/scan';
import { ValidationError } from '../../../rules/core/validation';
import { catalog } from '../../../rules/index';

const REGION = 'eu-west-1';

function savedInventory(): Inventory {
  return {
    version: 1,
    collectedAt: '2026-11-23T10:15:00.000Z',
    calls: { GetCallerIdentity: 1, GetAccount: 1, GetRestApis: 1, GetStages: 1 },
    regions: [
      {
        accountId: '123456789012',
        region: REGION,
        account: { cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/apigateway-cloudwatch-logs' },
        restApis: [
          {
            api: {
              id: 'a1b2c3d4e5',
              name: 'orders-api',
              createdDate: '2024-03-01T09:00:00.000Z',
              endpointConfiguration: { types: ['REGIONAL'] },
              policy: '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}',
            },
            stages: [
              {
                stageName: 'prod',
                deploymentId: 'dep123',
                methodSettings: { '*/*': { loggingLevel: 'ERROR', metricsEnabled: true } },
                tracingEnabled: true,
              },
            ],
            resources: [{ id: 'a1b2r00t', path: '/' }],
            authorizers: [],
            requestValidators: [],
            deployments: {
              dep123: { id: 'dep123', createdDate: '2026-11-02T16:38:00.000Z', apiSummary: {} },
            },
          },
        ],
        v2Apis: [],
        domainNames: [],
        webAcls: {},
        invocations: { a1b2c3d4e5: { count: 1200, days: 30, windowStart: '2026-10-24T10:00:00.000Z' } },
        errors: [
          {
            operation: 'GetApis',
            resource: `arn:aws:apigateway:${REGION}::/`,
            code: 'AccessDeniedException',
            message: 'not authorized',
            kind: 'denied',
          },
        ],
      },
    ],
  };
}

describe('inventory files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatewatch-inventory-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back exactly what was written', () => {
    // Prepare
    const path = join(dir, 'inventory.json');
    const inventory = savedInventory();

    // Act
    writeInventory(path, inventory);
    const read = readInventory(path);

    // Assess
    expect(read).toEqual(inventory);
  });

  it('turns the SDK’s Date objects into ISO strings, so a saved inventory judges like the live one', () => {
    // Prepare: dates as the SDK gives them, before saving.
    const path = join(dir, 'live.json');
    const raw = savedInventory();
    const api = raw.regions[0]?.restApis[0];
    const live = parseInventory({
      ...raw,
      regions: [
        {
          ...raw.regions[0],
          restApis: [
            {
              ...api,
              api: { ...api?.api, createdDate: new Date('2024-03-01T09:00:00.000Z') },
              stages: api?.stages.map((stage) => ({
                ...stage,
                lastUpdatedDate: new Date('2026-11-02T16:40:00Z'),
              })),
            },
          ],
        },
      ],
    });

    // Act
    writeInventory(path, live);
    const read = readInventory(path);

    // Assess
    expect(read.regions[0]?.restApis[0]?.api.createdDate).toBe('2024-03-01T09:00:00.000Z');
    expect(normalise(read)).toEqual(normalise(live));
  });

  it('rejects a file of another version, saying which versions it has and reads', () => {
    // Prepare
    const path = join(dir, 'future.json');
    writeFileSync(path, JSON.stringify({ ...savedInventory(), version: 3 }));

    // Act
    const read = () => readInventory(path);

    // Assess
    expect(read).toThrow(ValidationError);
    expect(read).toThrow(`Inventory file ${path} has version 3; this gatewatch reads versions 1 and 2.`);
  });

  it('rejects a file with a missing field, naming the field', () => {
    // Prepare
    const path = join(dir, 'edited.json');
    const inventory = savedInventory();
    const { stageName: _removed, ...stageWithoutName } = inventory.regions[0]?.restApis[0]?.stages[0] ?? {};
    const broken = {
      ...inventory,
      regions: [
        {
          ...inventory.regions[0],
          restApis: [{ ...inventory.regions[0]?.restApis[0], stages: [stageWithoutName] }],
        },
      ],
    };
    writeFileSync(path, JSON.stringify(broken));

    // Act
    const read = () => readInventory(path);

    // Assess
    expect(read).toThrow(ValidationError);
    expect(read).toThrow(`Inventory file ${path} is invalid: regions.0.restApis.0.stages.0.stageName:`);
  });

  it('rejects a file with no version, naming the field', () => {
    const path = join(dir, 'unversioned.json');
    const { version: _removed, ...unversioned } = savedInventory();
    writeFileSync(path, JSON.stringify(unversioned));

    expect(() => readInventory(path)).toThrow(/is invalid: version: /);
  });

  it('says so when the file is not JSON or cannot be read', () => {
    const notJson = join(dir, 'notes.txt');
    writeFileSync(notJson, 'orders-api: fine\n');

    expect(() => readInventory(notJson)).toThrow(`Inventory file ${notJson} is not JSON`);
    expect(() => readInventory(join(dir, 'missing.json'))).toThrow('Cannot read inventory file');
  });
});

describe('an inventory saved before the logging path was collected (version 1)', () => {
  it('still loads, and the scan skips the rules that need the logging path, saying why', () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'gatewatch-inventory-v1-'));
    const path = join(folder, 'version-1.json');
    writeFileSync(path, JSON.stringify(savedInventory()));

    // Act
    const result = scanInventory(readInventory(path), { rules: catalog });
    rmSync(folder, { recursive: true, force: true });

    // Assess
    expect(result.summary.skippedRules).toEqual(
      expect.arrayContaining([
        {
          ruleId: 'account-cloudwatch-role',
          why: expect.stringContaining('an inventory saved before version 2 has none'),
        },
        {
          ruleId: 'account-cloudtrail-logging',
          why: expect.stringContaining('an inventory saved before version 2 has none'),
        },
        {
          ruleId: 'account-http-access-log-policy',
          why: expect.stringContaining('an inventory saved before version 2 has none'),
        },
      ]),
    );
    expect(result.findings.filter((finding) => finding.ruleId.startsWith('account-'))).toEqual([]);
  });
});
