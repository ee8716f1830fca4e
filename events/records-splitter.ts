// Splits a JSON object, arriving in chunks, into its top-level members, and the elements of its
// `Records` array one by one: a CloudTrail log file (`{"Records": […]}`) of any size is read with
// memory bounded by its largest record. The splitter only finds boundaries; each piece is then
// checked by JSON.parse, so malformed JSON is still refused. It never quotes the input back.

export type Piece =
  | { readonly kind: 'record'; readonly index: number; readonly text: string }
  | { readonly kind: 'member'; readonly key: string; readonly text: string };

/** The input is not one JSON object (or a piece is too large); the message never quotes it. */
export class SplitError extends Error {
  override readonly name = 'SplitError';
}

type State =
  | 'before' // before the top-level `{`
  | 'key' // expecting a key or `}`
  | 'keyText' // inside a key string
  | 'colon'
  | 'value' // expecting a value
  | 'valueText' // inside a member's value
  | 'records' // inside `Records: [`, expecting an element or `]`
  | 'element' // inside a record
  | 'after' // after a value, expecting `,` or `}`
  | 'end';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xfeff]);

export class RecordsSplitter {
  private state: State = 'before';
  private captured: string[] = [];
  private capturedLength = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private key = '';
  private index = 0;
  /** After a `,`: a closing bracket now would be a trailing comma, which JSON does not allow. */
  private afterComma = false;
  /** True once a `Records` array was found. */
  recordsSeen = false;

  constructor(private readonly maxPiece = 64 * 1024 * 1024) {}

  push(chunk: string): Piece[] {
    const pieces: Piece[] = [];
    // Where the capture in this chunk began: a capture that began in an earlier chunk goes on here.
    let start = this.state === 'keyText' || this.state === 'valueText' || this.state === 'element' ? 0 : -1;
    const take = (end: number) => {
      if (start >= 0 && end > start) this.keep(chunk.slice(start, end));
      start = -1;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case 'before':
          if (WHITESPACE.has(c)) break;
          if (c !== 0x7b) throw new SplitError('expected a JSON object');
          this.state = 'key';
          break;
        case 'key':
          if (WHITESPACE.has(c)) break;
          if (c === 0x7d && !this.afterComma) this.state = 'end';
          else if (c === 0x22) {
            this.afterComma = false;
            this.state = 'keyText';
            start = i;
          } else
            throw new SplitError(
              this.afterComma ? 'expected a member name after ","' : 'expected a member name',
            );
          break;
        case 'keyText':
          if (this.scanString(c)) {
            take(i + 1);
            this.key = parseKey(this.flush());
            this.state = 'colon';
          }
          break;
        case 'colon':
          if (WHITESPACE.has(c)) break;
          if (c !== 0x3a) throw new SplitError('expected ":" after a member name');
          this.state = 'value';
          break;
        case 'value':
          if (WHITESPACE.has(c)) break;
          if (this.key === 'Records' && c === 0x5b) {
            this.recordsSeen = true;
            this.state = 'records';
            break;
          }
          this.state = 'valueText';
          start = i;
          i--; // scan this character as part of the value
          break;
        case 'records':
          if (WHITESPACE.has(c)) break;
          if (c === 0x5d && !this.afterComma) {
            this.state = 'after';
            break;
          }
          this.afterComma = false;
          this.state = 'element';
          start = i;
          i--;
          break;
        case 'valueText':
        case 'element': {
          if (!this.scanValue(c)) break;
          // c is the `,`, `}` or `]` that ends the value at depth 0.
          take(i);
          const text = this.flush();
          if (this.state === 'element') {
            pieces.push({ kind: 'record', index: this.index++, text });
            if (c === 0x2c) {
              this.state = 'records';
              this.afterComma = true;
            } else if (c === 0x5d) this.state = 'after';
            else throw new SplitError('expected "," or "]" in the Records array');
          } else {
            pieces.push({ kind: 'member', key: this.key, text });
            if (c === 0x2c) {
              this.state = 'key';
              this.afterComma = true;
            } else if (c === 0x7d) this.state = 'end';
            else throw new SplitError('expected "," or "}" after a member');
          }
          break;
        }
        case 'after':
          if (WHITESPACE.has(c)) break;
          if (c === 0x2c) {
            this.state = 'key';
            this.afterComma = true;
          } else if (c === 0x7d) this.state = 'end';
          else throw new SplitError('expected "," or "}" after the Records array');
          break;
        case 'end':
          if (!WHITESPACE.has(c)) throw new SplitError('unexpected text after the end of the JSON object');
          break;
      }
    }
    take(chunk.length);
    return pieces;
  }

  /** Call after the last chunk: throws when the object is incomplete. */
  end(): void {
    if (this.state !== 'end') {
      throw new SplitError(
        this.state === 'before' ? 'the input is empty' : 'the input ends before the JSON object does',
      );
    }
  }

  private keep(text: string): void {
    this.capturedLength += text.length;
    if (this.capturedLength > this.maxPiece) {
      throw new SplitError(`a record or member is larger than ${Math.round(this.maxPiece / 1048576)} MiB`);
    }
    this.captured.push(text);
  }

  private flush(): string {
    const text = this.captured.join('');
    this.captured = [];
    this.capturedLength = 0;
    return text;
  }

  /** Inside a string (its opening quote already seen): true at the closing quote. */
  private scanString(c: number): boolean {
    if (this.escaped) this.escaped = false;
    else if (c === 0x5c) this.escaped = true;
    else if (c === 0x22) return true;
    return false;
  }

  /** Inside a value: true at the `,` `}` or `]` that ends it (not part of the value). */
  private scanValue(c: number): boolean {
    if (this.inString) {
      if (this.scanString(c)) this.inString = false;
      return false;
    }
    if (c === 0x22) {
      this.inString = true;
      this.escaped = false;
    } else if (c === 0x7b || c === 0x5b) this.depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (this.depth === 0) return true;
      this.depth--;
    } else if (c === 0x2c && this.depth === 0) return true;
    return false;
  }
}

function parseKey(text: string): string {
  try {
    return JSON.parse(text) as string;
  } catch {
    throw new SplitError('a member name is not a valid JSON string');
  }
}

/** JSON.parse for a piece, with an error that says where and never quotes the input. */
export function parsePiece(piece: Piece): unknown {
  try {
    return JSON.parse(piece.text);
  } catch {
    throw new SplitError(
      piece.kind === 'record'
        ? `Records[${piece.index}] is not valid JSON`
        : `"${piece.key}" is not valid JSON`,
    );
  }
}
