// The condition and update expressions gatewatch's stores send to DynamoDB, evaluated as DynamoDB
// does (a missing attribute fails every comparison; numbers compare as numbers, strings in UTF-8
// order), for the in-memory tables of the tests. Any other expression fails the test: a store
// that starts sending a new one must teach it here.
type Item = Record<string, unknown>;
type Values = Record<string, unknown>;

const conditions: Record<string, (current: Item | undefined, values: Values) => boolean> = {
  'attribute_not_exists(pk)': (current) => current === undefined,
  'attribute_not_exists(pk) OR observedAt <= :observedAt': (current, values) =>
    current === undefined || String(current.observedAt) <= String(values[':observedAt']),
  'attribute_not_exists(pk) OR (claimState = :claimed AND claimedUntil < :now)': (current, values) =>
    current === undefined ||
    (current.claimState === values[':claimed'] &&
      typeof current.claimedUntil === 'number' &&
      current.claimedUntil < Number(values[':now'])),
  'claimToken = :token': (current, values) =>
    current !== undefined && current.claimToken === values[':token'],
  'attribute_not_exists(tat) OR tat <= :now': (current, values) =>
    current?.tat === undefined || Number(current.tat) <= Number(values[':now']),
  // Powertools' idempotency record: absent, expired, or in progress past its holder's time.
  'attribute_not_exists(pk) OR expiresAt < :now OR (status = :inprogress AND attribute_exists(in_progress_expiration) AND in_progress_expiration < :now_in_millis)':
    (current, values) =>
      current === undefined ||
      (typeof current.expiresAt === 'number' && current.expiresAt < Number(values[':now'])) ||
      (current.status === values[':inprogress'] &&
        typeof current.in_progress_expiration === 'number' &&
        current.in_progress_expiration < Number(values[':now_in_millis'])),
  'tat > :now AND tat <= :latest': (current, values) =>
    current?.tat !== undefined &&
    Number(current.tat) > Number(values[':now']) &&
    Number(current.tat) <= Number(values[':latest']),
};

export function conditionHolds(
  condition: string | undefined,
  current: Item | undefined,
  values: Values = {},
): boolean {
  if (condition === undefined) return true;
  const check = conditions[condition];
  if (!check) throw new Error(`in-memory DynamoDB: unknown condition ${condition}`);
  return check(current, values);
}

const updates: Record<string, (current: Item, values: Values) => Item> = {
  // Powertools completing an idempotency record, with the result when there is one.
  'SET expiresAt = :expiry, status = :status': (current, values) => ({
    ...current,
    expiresAt: values[':expiry'],
    status: values[':status'],
  }),
  'SET expiresAt = :expiry, status = :status, data = :response_data': (current, values) => ({
    ...current,
    expiresAt: values[':expiry'],
    status: values[':status'],
    data: values[':response_data'],
  }),
  'SET tat = :next, expiresAt = :expires': (current, values) => ({
    ...current,
    tat: values[':next'],
    expiresAt: values[':expires'],
  }),
  'SET tat = tat + :cost, expiresAt = :expires': (current, values) => ({
    ...current,
    tat: Number(current.tat) + Number(values[':cost']),
    expiresAt: values[':expires'],
  }),
};

/** An expression with its `#name` placeholders replaced by ExpressionAttributeNames, as DynamoDB reads it. */
export function withNames(
  expression: string | undefined,
  names: Record<string, string> = {},
): string | undefined {
  return expression?.replace(/#\w+/g, (name) => names[name] ?? name);
}

export function applyUpdate(update: string | undefined, current: Item, values: Values = {}): Item {
  const apply = update === undefined ? undefined : updates[update];
  if (!apply) throw new Error(`in-memory DynamoDB: unknown update ${update}`);
  return apply(current, values);
}
