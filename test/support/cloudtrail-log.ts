// Writes a CloudTrail log file (`{"Records": [...]}`) of a given size, as CloudTrail delivers it
// (gzipped) or plain: mostly read-only EC2 calls that gatewatch ignores, and every 500th record one
// of the bundled drift events (examples/drift/events) with a fresh event id, which it judges.
// Streamed to disk in large batches, so 50 MB takes about a second.
import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, createGzip } from 'node:zlib';

const DRIFT_EVENTS = join(__dirname, '..', '..', 'examples', 'drift', 'events');

export async function writeCloudTrailLog(
  path: string,
  bytes: number,
  options: { gzip?: boolean } = {},
): Promise<{ records: number; judged: number }> {
  const drift = readdirSync(DRIFT_EVENTS)
    .sort()
    .map(
      (name) =>
        (JSON.parse(readFileSync(join(DRIFT_EVENTS, name), 'utf8')) as { detail: Record<string, unknown> })
          .detail,
    );
  const first = drift[0] as Record<string, unknown>;
  const ignored = (n: number) => ({
    ...first,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    readOnly: true,
    eventID: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    requestParameters: { instancesSet: {}, filterSet: {}, maxResults: 1000 },
    responseElements: null,
  });
  const file = createWriteStream(path);
  const gzip = options.gzip ? createGzip({ level: constants.Z_BEST_SPEED }) : undefined;
  gzip?.pipe(file);
  const sink = gzip ?? file;
  const write = async (text: string) => {
    if (!sink.write(text)) await once(sink, 'drain');
  };
  let written = 0;
  let records = 0;
  let judged = 0;
  await write('{"Records":[');
  let batch: string[] = [];
  while (written < bytes) {
    const record =
      records % 500 === 499
        ? {
            ...drift[judged++ % drift.length],
            eventID: `11111111-0000-4000-8000-${records.toString(16).padStart(12, '0')}`,
          }
        : ignored(records);
    const text = `${records === 0 ? '' : ','}${JSON.stringify(record)}`;
    batch.push(text);
    written += text.length;
    records++;
    if (batch.length === 1000) {
      await write(batch.join(''));
      batch = [];
    }
  }
  await write(`${batch.join('')}]}\n`);
  sink.end();
  await once(file, 'close');
  return { records, judged };
}
