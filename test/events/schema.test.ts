import { parseEvents } from '../../events/schema';
import { ValidationError } from '../../rules/core/validation';
import { type BySet, describeEachSet, fixtures } from '../support/event-sets';

const ENVELOPE = 'eventbridge-envelope-apigateway-TagResource-1.json';

const envelopeOf: BySet<Record<string, string>> = {
  fixtures: {
    id: '5b1e9c47-3d2a-4f8e-b6c0-91a7d3e5f208',
    account: '444455556666',
    region: 'us-east-1',
    time: '2025-11-21T16:05:12Z',
  },
  recordings: {
    id: '06e856f8-a9f2-85c3-4908-54363fe9ef83',
    account: '012345678901',
    region: 'us-east-1',
    time: '2022-07-13T19:36:44Z',
  },
};

describeEachSet('parseEvents on each CloudTrail and EventBridge file', (set) => {
  it('finds the CloudTrail and EventBridge files', () => {
    expect(set.cloudTrailFiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(set.cloudTrailFiles)('parses %s as it is', (name) => {
    const parsed = parseEvents(set.load(name), name);

    expect(parsed).toHaveLength(1);
    expect(parsed[0]?.record.eventID).toEqual(expect.any(String));
  });

  it('keeps the EventBridge envelope, tolerating keys it does not know and empty resources', () => {
    const [event] = parseEvents(set.load(ENVELOPE), ENVELOPE);

    expect(event?.envelope).toEqual(envelopeOf[set.kind]);
    expect(event?.record.eventName).toBe('TagResource');
  });
});

describe('parseEvents', () => {
  const loadRecorded = (name: string) => fixtures.load(name);

  it('gives bare records no envelope and keeps fields it does not check', () => {
    const [event] = parseEvents(
      loadRecorded('apigateway-CreateStage-1.json'),
      'apigateway-CreateStage-1.json',
    );

    expect(event?.envelope).toBeUndefined();
    expect(event?.record).toMatchObject({ eventVersion: '1.08', sessionCredentialFromConsole: 'true' });
  });

  it('reads every record of a CloudTrail log file', () => {
    const records = ['apigateway-CreateStage-1.json', 'wafv2-DeleteWebACL-1.json'].map(loadRecorded);

    const parsed = parseEvents({ Records: records }, 'AWSLogs/…/CloudTrail/us-east-1/file.json');

    expect(parsed.map((event) => event.record.eventName)).toEqual(['CreateStage', 'DeleteWebACL']);
  });

  it('names the origin and the field of a bad record', () => {
    const { eventName: _dropped, ...record } = loadRecorded('apigateway-CreateStage-1.json') as Record<
      string,
      unknown
    >;

    expect(() => parseEvents(record, 'bad.json')).toThrow(ValidationError);
    expect(() => parseEvents(record, 'bad.json')).toThrow(/^bad\.json is invalid: eventName: /);
  });

  it('names the field inside an envelope and inside a log file', () => {
    const envelope = loadRecorded('eventbridge-envelope-apigateway-TagResource-1.json') as {
      detail: Record<string, unknown>;
    };
    const badTime = { ...envelope, detail: { ...envelope.detail, eventTime: '2022-07-13 19:36:44' } };
    const good = loadRecorded('apigateway-CreateStage-1.json');
    const noUserIdentity = { ...(good as Record<string, unknown>), userIdentity: undefined };

    expect(() => parseEvents(badTime, 'EventBridge event')).toThrow(
      /EventBridge event is invalid: detail\.eventTime/,
    );
    expect(() => parseEvents({ Records: [good, noUserIdentity] }, 'log.json')).toThrow(
      /log\.json is invalid: Records\.1\.userIdentity/,
    );
  });

  it('rejects an EventBridge event that is not a CloudTrail API call', () => {
    const envelope = loadRecorded('eventbridge-envelope-apigateway-TagResource-1.json') as Record<
      string,
      unknown
    >;

    expect(() => parseEvents({ ...envelope, 'detail-type': 'Scheduled Event' }, 'event')).toThrow(
      /detail-type/,
    );
  });

  it('rejects what is not an object', () => {
    expect(() => parseEvents([], 'list.json')).toThrow(/^list\.json is invalid: \(top level\)/);
    expect(() => parseEvents(null, 'null.json')).toThrow(ValidationError);
  });
});
