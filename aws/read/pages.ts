// Following pages, reading a few at a time, and dropping the SDK's response metadata: what every
// reader of aws/read shares.

/** The largest page API Gateway returns (`limit` / `MaxResults`). */
export const PAGE = 500;

/** Follows API Gateway v1 pages (`position`). */
export async function pagesV1<T>(
  read: (position?: string) => Promise<{ items?: T[]; position?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let position: string | undefined;
  do {
    const page = await read(position);
    all.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return all;
}

/** Follows API Gateway v2 pages (`NextToken`). */
export async function pagesV2<T>(
  read: (token?: string) => Promise<{ Items?: T[]; NextToken?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await read(token);
    all.push(...(page.Items ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

/** Maps with at most `limit` promises in flight, keeping order. */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function stripMetadata<T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _ignored, ...rest } = output;
  return rest;
}
