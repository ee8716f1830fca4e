// A deployment never changes, so neither do the authorizers of the methods a stage serves from
// it. A read names a served method's authorizer from the working copy, which no longer has it
// once someone removed it there: the baseline's earlier read of the same deployment still does,
// and that is what a `restore` of rest-method-authorization puts back.
import type { Snapshot } from '../../rules/core/resources';

/** The snapshot, with served authorizers this read could not name taken from `before` (same deployment). */
export function keepServedAuthorizers(snapshot: Snapshot, before: Snapshot | undefined): Snapshot {
  if (snapshot.kind !== 'rest-stage' || before?.kind !== 'rest-stage') return snapshot;
  if (!snapshot.deploymentId || snapshot.deploymentId !== before.deploymentId) return snapshot;
  if (snapshot.methods.source !== 'deployment' || before.methods.source !== 'deployment') return snapshot;
  let kept = false;
  const served = snapshot.methods.served.map((method) => {
    if (method.authorizer || method.authorizationType === 'NONE' || method.authorizationType === 'AWS_IAM') {
      return method;
    }
    const earlier = before.methods.served.find(
      (candidate) =>
        candidate.httpMethod === method.httpMethod &&
        candidate.resourcePath === method.resourcePath &&
        candidate.authorizationType === method.authorizationType &&
        candidate.authorizer !== null,
    );
    if (!earlier) return method;
    kept = true;
    return { ...method, authorizer: earlier.authorizer };
  });
  return kept ? { ...snapshot, methods: { ...snapshot.methods, served } } : snapshot;
}
