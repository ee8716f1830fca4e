// How a region read runs each call: a failure becomes a collection problem tagged with the read
// it was (aws/read/plan.ts), unless it is one the caller wants thrown (refused credentials
// always; throttling and AWS faults for callers that are retried).
import { classifyError, failedOperation, isCredentialsError, type RegionClients } from '../clients';
import type { Read, ReadPlan } from './plan';
import type { CollectionError } from './schema';

/** Stops a read that cannot succeed at all (no credentials, expired token). */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

/** Runs one read; a failure is recorded (undefined is returned) or thrown. */
export type TaggedAttempt = <T>(
  read: Read | undefined,
  operation: string,
  resource: string,
  run: () => Promise<T>,
) => Promise<T | undefined>;

/** One account and region being read: where, with what, which reads, and the problems so far. */
export interface RegionRead {
  readonly clients: RegionClients;
  readonly accountId: string;
  readonly region: string;
  readonly plan: ReadPlan;
  readonly attempt: TaggedAttempt;
  /**
   * For the parts of a resource: as `attempt`, but the resource found gone (deleted while it was
   * read) is thrown, for the resource's own attempt to leave it out.
   */
  readonly part: TaggedAttempt;
  /** Errors to throw rather than record (refused credentials always are). */
  readonly rethrow: (error: unknown) => boolean;
}

/** An attempt that records failures in `errors`, tagged, and throws what `rethrow` says. */
export function recordingAttempt(
  errors: CollectionError[],
  rethrow: (error: unknown) => boolean,
): TaggedAttempt {
  return async (read, operation, resource, run) => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CredentialsError) throw error;
      if (isCredentialsError(error)) throw new CredentialsError((error as Error).message, { cause: error });
      if (rethrow(error)) throw error;
      errors.push({
        operation: failedOperation(error) ?? operation,
        resource,
        ...classifyError(error),
        ...(read ? { read } : {}),
      });
      return undefined;
    }
  };
}
