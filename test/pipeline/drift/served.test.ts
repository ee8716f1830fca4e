// A deployment never changes: when a read cannot name the authorizer of a method a stage still
// serves from the same deployment (the working copy lost it), the baseline's earlier read does.
import { keepServedAuthorizers } from '../../../pipeline/drift/served';
import { restMethod, restStage } from '../../support/snapshots';

const before = restStage();
const unnamed = restStage({ methods: { source: 'deployment', served: [restMethod({ authorizer: null })] } });

describe('keepServedAuthorizers', () => {
  it('takes the authorizer from the earlier read of the same deployment', () => {
    expect(keepServedAuthorizers(unnamed, before)).toEqual(before);
  });

  it('keeps what the read says after a new deployment, or when the type changed', () => {
    const redeployed = { ...unnamed, deploymentId: 'dep999' };
    expect(keepServedAuthorizers(redeployed, before)).toBe(redeployed);
    const iam = restStage({
      methods: {
        source: 'deployment',
        served: [restMethod({ authorizationType: 'AWS_IAM', authorizer: null })],
      },
    });
    expect(keepServedAuthorizers(iam, before)).toBe(iam);
  });

  it('leaves other resources and first reads alone', () => {
    expect(keepServedAuthorizers(unnamed, undefined)).toBe(unnamed);
  });
});
