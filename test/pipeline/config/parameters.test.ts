// Config passes input parameters as strings; gatewatch writes them (the CDK app, the
// conformance pack) and reads them back as the rule declares them.
import { ANNOTATION_LIMIT, annotation } from '../../../pipeline/config/evaluations';
import { configInputParameters, resolveRule } from '../../../pipeline/config/parameters';
import { findRule } from '../../../rules/index';

const rule = (id: string) => {
  const found = findRule(id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

describe('rule parameters as Config carries them', () => {
  it.each([
    ['rest-method-authorization', { publicMethods: ['GET /health', 'OPTIONS /*'], acceptApiKeyOnly: true }],
    ['rest-stage-throttling', { maxRateLimit: 500, maxBurstLimit: 100 }],
    ['rest-api-endpoint-type', { allowedEndpointTypes: ['REGIONAL'] }],
    ['stage-no-secrets-in-variables', { allowVariables: ['a,b', 'c'], minimumEntropyLength: 0 }],
  ])('%s: written as strings, read back as declared', (id, parameters) => {
    // Act
    const written = configInputParameters(rule(id), parameters);
    const read = resolveRule(`gatewatch-${id}`, JSON.stringify(written));

    // Assess
    expect(Object.values(written).every((value) => typeof value === 'string')).toBe(true);
    expect(written.ruleId).toBe(id);
    expect(read.problem).toBeUndefined();
    expect(read.parameters).toMatchObject(parameters);
  });

  it('arrays are comma-separated, as for AWS managed rules', () => {
    expect(
      configInputParameters(rule('rest-api-endpoint-type'), {
        allowedEndpointTypes: ['REGIONAL', 'PRIVATE'],
      }),
    ).toEqual({
      ruleId: 'rest-api-endpoint-type',
      allowedEndpointTypes: 'REGIONAL,PRIVATE',
    });
    expect(
      resolveRule('gatewatch-rest-api-endpoint-type', '{"allowedEndpointTypes":"EDGE, REGIONAL"}').parameters,
    ).toEqual({
      allowedEndpointTypes: ['EDGE', 'REGIONAL'],
    });
  });

  it('defaults fill in what the Config rule does not set', () => {
    expect(resolveRule('gatewatch-api-unused', undefined).parameters).toEqual({ unusedDays: 30 });
  });

  it.each([
    ['not JSON', 'gatewatch-api-unused', '{unusedDays: 3', 'not JSON'],
    ['a value the rule refuses', 'gatewatch-api-unused', '{"unusedDays":"0"}', 'unusedDays'],
    ['no rule id and a foreign name', 'my-rule', '{}', 'has no ruleId input parameter'],
  ])('%s: a problem a person can act on', (_case, name, parameters, words) => {
    expect(resolveRule(name, parameters).problem).toContain(words);
  });
});

describe('annotations', () => {
  it(`are cut to Config's ${ANNOTATION_LIMIT} characters`, () => {
    const long = `Stage prod of REST API orders (a1b2c3) serves ${'GET /x, '.repeat(60)}without authorization.`;

    const cut = annotation(long);

    expect(cut).toHaveLength(ANNOTATION_LIMIT);
    expect(cut.endsWith('…')).toBe(true);
    expect(annotation('Short.')).toBe('Short.');
  });
});
