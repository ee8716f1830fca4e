// What `gatewatch replay` reads: files (`.json`, or `.json.gz` as CloudTrail delivers them),
// folders of them (recursively, as in the S3 layout AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/)
// and standard input (`-`). Everything is streamed: a log file's Records are split one by one
// (events/records-splitter.ts), so memory stays flat whatever the file's size.
import { createReadStream, type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parsePiece, RecordsSplitter, SplitError } from '../../events/records-splitter';
import { cloudTrailRecordSchema, type ParsedEvent, parseEvents } from '../../events/schema';
import { parseOrThrow, ValidationError } from '../../rules/core/validation';
import { UsageError } from '../errors';

const LOG_FILE = /\.json(\.gz)?$/;
// Beside CloudTrail/, the S3 prefix holds digest and Insights files: not API calls.
const NOT_EVENTS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight']);

/** The files the operands name, folders expanded (sorted, so the S3 layout's dates come in order). */
export function eventFiles(operands: readonly string[]): string[] {
  if (operands.filter((operand) => operand === '-').length > 1) {
    throw new UsageError('gatewatch replay: standard input (-) can be read once; name it once.');
  }
  return operands.flatMap((operand) => {
    if (operand === '')
      throw new UsageError('gatewatch replay: a file name is empty; name a file, a folder or -.');
    if (operand === '-' || !statSync(operand).isDirectory()) return [operand];
    const found = walk(operand);
    if (found.length === 0) {
      throw new UsageError(
        `gatewatch replay: the folder ${operand} holds no .json or .json.gz file.`,
        'file',
      );
    }
    return found;
  });
}

function walk(folder: string): string[] {
  const entries: Dirent[] = readdirSync(folder, { withFileTypes: true });
  return entries
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return NOT_EVENTS.has(entry.name) ? [] : walk(path);
      return entry.isFile() && LOG_FILE.test(entry.name) ? [path] : [];
    });
}

/** Every event of every file, in order, read as a stream. */
export async function* readEventFiles(
  files: readonly string[],
  stdin: Readable = process.stdin,
): AsyncGenerator<ParsedEvent> {
  for (const file of files) {
    const name = file === '-' ? 'standard input' : file;
    yield* readEventStream(name, file === '-' ? stdin : createReadStream(file));
  }
}

/** The events in one stream: an EventBridge event, a bare CloudTrail record or a log file, gzipped or not. */
export async function* readEventStream(name: string, input: Readable): AsyncGenerator<ParsedEvent> {
  const splitter = new RecordsSplitter();
  const members: [string, unknown][] = [];
  try {
    for await (const text of decodedText(name, input)) {
      for (const piece of splitter.push(text)) {
        if (piece.kind === 'member') {
          members.push([piece.key, parsePiece(piece)]);
          continue;
        }
        const record = parseOrThrow(
          cloudTrailRecordSchema,
          parsePiece(piece),
          `${name} Records[${piece.index}]`,
        );
        yield { record };
      }
    }
    splitter.end();
    if (!splitter.recordsSeen) yield* parseEvents(Object.fromEntries(members), name);
  } catch (error) {
    if (error instanceof SplitError) {
      throw new UsageError(
        `gatewatch replay: ${name} is not a CloudTrail log file or event: ${error.message}.`,
        'input',
      );
    }
    if (error instanceof ValidationError) throw new UsageError(`gatewatch replay: ${error.message}`, 'input');
    throw error;
  } finally {
    input.destroy();
  }
}

/** UTF-8 text of the input, gunzipped when it starts with gzip's magic bytes; other binary is refused. */
async function* decodedText(name: string, input: Readable): AsyncGenerator<string> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let head = Buffer.alloc(0);
  let done = false;
  while (head.length < 2 && !done) {
    const next = await chunks.next();
    if (next.done) done = true;
    else head = Buffer.concat([head, Buffer.from(next.value)]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next())
      yield Buffer.from(next.value);
  }
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  let source: AsyncIterable<Buffer> = all();
  if (gzipped) {
    const gunzip = createGunzip();
    pipeline(Readable.from(all()), gunzip, () => {});
    source = gunzip;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of source) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new UsageError(
        `gatewatch replay: ${name} is neither JSON text nor gzip; give CloudTrail log files (.json or .json.gz) or events.`,
        'input',
      );
    }
    if (gzipped && code?.startsWith('Z_')) {
      throw new UsageError(
        `gatewatch replay: ${name} is a damaged or truncated gzip file (${code}).`,
        'input',
      );
    }
    throw error;
  }
}
