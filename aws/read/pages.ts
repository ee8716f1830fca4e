// Following pages, reading a few at a time, and dropping the SDK's response metadata: what every
// reader of aws/read shares. Pages come from the SDK's paginators (`paginateGetResources` …) where
// the client has one, and from `paginate` where it has none; both send through the client, so the
// Pacer's middleware paces and counts every page (aws/clients.ts).

/** The largest page API Gateway returns (`limit` / `MaxResults`). */
export const PAGE = 500;

/**
 * The pages of an operation whose client has no SDK paginator, followed as the SDK's paginators
 * follow theirs: the answer's `token` (`position` for API Gateway, `NextToken` for API Gateway v2,
 * `nextToken` for CloudWatch Logs) is sent back until an answer has none.
 */
export async function* paginate<I extends object, O extends { [key in K]?: string }, K extends PageToken>(
  send: (input: I & { [key in K]?: string }) => Promise<O>,
  input: I,
  token: K,
): AsyncGenerator<O, void, undefined> {
  let next: string | undefined;
  do {
    const page = await send(next ? { ...input, [token]: next } : input);
    yield page;
    next = page[token];
  } while (next);
}

/** The page tokens of the operations `paginate` follows. */
export type PageToken = 'position' | 'NextToken' | 'nextToken';

/** Every item of every page, in order. */
export async function allItems<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
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
