// What the remediator remembers between deliveries: which event it already acted on for a rule
// and resource (idempotency), and how often it changed a resource for a rule lately (rate
// limit). In memory for local runs and tests; in the baseline table when deployed
// (store-dynamodb.ts).

/** What a remediation did, as the verdict carries it. */
export interface RemediationOutcome {
  readonly action: 'planned' | 'applied' | 'skipped' | 'escalated' | 'failed';
  readonly calls: readonly string[];
  readonly result: string;
}

export type Claim =
  | { readonly first: true }
  | { readonly first: false; readonly outcome?: RemediationOutcome };

export interface RemediationStore {
  /** Claims `key` (event, rule, resource); a second claim gets the first one's outcome, once recorded. */
  claim(key: string, at: Date): Promise<Claim>;
  /** Records the outcome of a claimed key. */
  complete(key: string, outcome: RemediationOutcome, at: Date): Promise<void>;
  /** Changes made (or attempted) to a resource for a rule since `since`. */
  actionsSince(ruleId: string, resourceArn: string, since: Date): Promise<number>;
  /** Records a change made (or attempted); kept for `keepMinutes`. */
  recordAction(ruleId: string, resourceArn: string, at: Date, keepMinutes: number): Promise<void>;
}

/** The idempotency key of one verdict: the same event, rule and resource. */
export const claimKey = (verdict: { eventId: string; ruleId: string; resourceArn: string }) =>
  `${verdict.eventId}#${verdict.ruleId}#${verdict.resourceArn}`;

export class MemoryRemediationStore implements RemediationStore {
  private readonly claims = new Map<string, RemediationOutcome | null>();
  private readonly actions = new Map<string, number[]>();

  async claim(key: string): Promise<Claim> {
    if (!this.claims.has(key)) {
      this.claims.set(key, null);
      return { first: true };
    }
    const outcome = this.claims.get(key);
    return outcome ? { first: false, outcome } : { first: false };
  }

  async complete(key: string, outcome: RemediationOutcome): Promise<void> {
    this.claims.set(key, outcome);
  }

  async actionsSince(ruleId: string, resourceArn: string, since: Date): Promise<number> {
    return (this.actions.get(`${ruleId}#${resourceArn}`) ?? []).filter((time) => time >= since.getTime())
      .length;
  }

  async recordAction(ruleId: string, resourceArn: string, at: Date): Promise<void> {
    const key = `${ruleId}#${resourceArn}`;
    this.actions.set(key, [...(this.actions.get(key) ?? []), at.getTime()]);
  }
}
