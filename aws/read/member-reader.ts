// Reading a member account for an event: its gatewatch reader role is assumed first, so a
// refusal is known before any read — and becomes one "could not evaluate" verdict naming the
// account's role, rather than a failure per call. The event is then handled, not retried: the
// member stack may be missing for days, and the sweep and the next event will try again.
import type { AccountAccess } from '../accounts';
import { MemberAccessError } from '../accounts';
import { LiveReader } from './live';
import type { ReadResult, TargetReader } from './reader';

/** A LiveReader through the member's role, or, when the role is refused, a reader that says so. */
export async function memberReader(
  access: AccountAccess,
  accountId: string,
  region: string,
): Promise<TargetReader> {
  try {
    await access.credentials(accountId, region);
  } catch (error) {
    if (error instanceof MemberAccessError) return new UnreachableReader(error);
    throw error;
  }
  return new LiveReader(access.forAccount(accountId), accountId);
}

/** Every target of an account whose role was refused: nothing read, one problem naming the role. */
export class UnreachableReader implements TargetReader {
  constructor(private readonly refusal: MemberAccessError) {}

  async read(): Promise<ReadResult> {
    return {
      snapshots: [],
      pending: [],
      workingCopyCompared: [],
      gone: [],
      problems: [
        {
          operation: 'AssumeRole',
          resource: this.refusal.roleArn,
          kind: 'denied',
          code: this.refusal.code,
          message: this.refusal.message,
        },
      ],
    };
  }
}
