// Verdicts leave a function through an SQS queue (drift → remediator → notifier), as
// verdictMessage bodies. A message holds the verdicts of one event; verdicts that would not fit
// one message (SQS takes 256 KiB) are split over several.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Verdict, VerdictSink } from '../model/verdict';
import { verdictMessage } from '../model/verdict-message';

/** Below SQS's 262,144-byte limit, with room for the message attributes SQS counts too. */
export const MAX_MESSAGE_BYTES = 240 * 1024;

export class QueueSink implements VerdictSink {
  constructor(
    private readonly sqs: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
    /** Prepares verdicts before they leave (e.g. attaches the known good state remediation needs). */
    private readonly prepare: (verdicts: readonly Verdict[]) => Promise<readonly Verdict[]> = async (v) => v,
  ) {}

  async handle(verdicts: readonly Verdict[]): Promise<void> {
    if (verdicts.length === 0) return;
    for (const body of messageBodies(await this.prepare(verdicts))) {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
    }
  }
}

/** The verdicts as few message bodies as fit; a single verdict too large to fit is an error. */
export function messageBodies(verdicts: readonly Verdict[], maxBytes = MAX_MESSAGE_BYTES): string[] {
  const bodies: string[] = [];
  let batch: Verdict[] = [];
  for (const verdict of verdicts) {
    const candidate = verdictMessage([...batch, verdict]);
    if (Buffer.byteLength(candidate) <= maxBytes) {
      batch.push(verdict);
      continue;
    }
    if (batch.length > 0) bodies.push(verdictMessage(batch));
    const alone = verdictMessage([verdict]);
    if (Buffer.byteLength(alone) > maxBytes) {
      throw new Error(
        `the verdict of ${verdict.ruleId} on ${verdict.resourceArn} is ${Buffer.byteLength(alone)} bytes, more than an SQS message holds`,
      );
    }
    batch = [verdict];
  }
  if (batch.length > 0) bodies.push(verdictMessage(batch));
  return bodies;
}

/** Hands the same verdicts to several sinks, in order. */
export class FanOutSink implements VerdictSink {
  private readonly sinks: readonly VerdictSink[];

  constructor(...sinks: VerdictSink[]) {
    this.sinks = sinks;
  }

  async handle(verdicts: readonly Verdict[]): Promise<void> {
    for (const sink of this.sinks) await sink.handle(verdicts);
  }
}
