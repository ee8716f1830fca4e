import * as fc from 'fast-check';
import { parsePiece, RecordsSplitter, SplitError } from '../../events/records-splitter';

/** Splits `text` at the given cut points and gathers what the splitter finds. */
function split(text: string, cuts: readonly number[] = []) {
  const splitter = new RecordsSplitter();
  const bounds = [...new Set([0, ...cuts.map((cut) => cut % (text.length + 1)), text.length])].sort(
    (a, b) => a - b,
  );
  const records: unknown[] = [];
  const members: [string, unknown][] = [];
  for (let i = 1; i < bounds.length; i++) {
    for (const piece of splitter.push(text.slice(bounds[i - 1], bounds[i]))) {
      if (piece.kind === 'record') records.push(parsePiece(piece));
      else members.push([piece.key, parsePiece(piece)]);
    }
  }
  splitter.end();
  return { records, members: Object.fromEntries(members), recordsSeen: splitter.recordsSeen };
}

describe('RecordsSplitter', () => {
  it('finds every record and member of any JSON object, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(
          fc.string().filter((key) => key !== 'Records'),
          fc.jsonValue(),
          { maxKeys: 4 },
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (records, others, cuts, pretty) => {
          // Prepare
          const document = { ...others, Records: records };
          const text = JSON.stringify(document, null, pretty ? 2 : undefined);

          // Act
          const found = split(text, cuts);

          // Assess
          expect(found.recordsSeen).toBe(true);
          expect(found.records).toEqual(JSON.parse(JSON.stringify(records)));
          expect(found.members).toEqual(JSON.parse(JSON.stringify(others)));
        },
      ),
    );
  });

  it('reads an object without Records as members (an EventBridge event, a bare record)', () => {
    const found = split('{"detail-type": "AWS API Call via CloudTrail", "detail": {"a": [1, "}"]}}', [7, 30]);

    expect(found).toEqual({
      records: [],
      members: { 'detail-type': 'AWS API Call via CloudTrail', detail: { a: [1, '}'] } },
      recordsSeen: false,
    });
  });

  it.each([
    ['not an object', '[1, 2]', 'expected a JSON object'],
    ['binary-looking text', '\u0000\u0001PNG', 'expected a JSON object'],
    ['a trailing comma in Records', '{"Records": [{"a": 1},]}', 'Records[1] is not valid JSON'],
    ['a trailing comma after a member', '{"a": 1,}', 'expected a member name after ","'],
    ['a truncated file', '{"Records": [{"a": 1}, {"b"', 'the input ends before the JSON object does'],
    ['text after the object', '{"Records": []} {"Records": []}', 'unexpected text after the end'],
    ['a broken record', '{"Records": [{"a": tru}]}', 'Records[0] is not valid JSON'],
    ['an empty input', '  ', 'the input is empty'],
  ])('refuses %s, without quoting the input', (_what, text, message) => {
    let error: unknown;
    try {
      split(text);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SplitError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('tru}');
  });
});
