// The SQS batches Lambda delivers to the drift, remediate, notify and sweep functions: one record
// schema for all four, and one way to handle a batch — Powertools' BatchProcessor, a record at a
// time, a record that throws reported alone as a batch item failure (SQS delivers it again, then
// dead-letters it) and never the whole batch thrown back.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { parseOrThrow, ValidationError } from '../rules/core/validation';

export const sqsRecordSchema = z.looseObject({
  messageId: z.string(),
  body: z.string(),
  eventSource: z.literal('aws:sqs'),
});
export type SqsRecord = z.infer<typeof sqsRecordSchema>;

export const sqsEventSchema = z.looseObject({ Records: z.array(sqsRecordSchema) });

/** Whether `event` is an SQS batch at all (the sweep function is also invoked by its schedule). */
export const isSqsBatch = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && 'Records' in event;

/**
 * Parses the batch (a ValidationError for the whole invocation if it is not one), then calls
 * `start` once — what it throws fails the invocation — and the record handler it returns on
 * each record, in order.
 */
export async function handleSqsBatch(
  event: unknown,
  context: Context | undefined,
  start: () => (record: SqsRecord) => Promise<void>,
  what = 'SQS event',
): Promise<SQSBatchResponse> {
  const batch = parseOrThrow(sqsEventSchema, event, what);
  const handleRecord = start();
  // One processor per invocation: it holds the batch's state while processing it.
  return processPartialResponse(
    batch as unknown as SQSEvent,
    (record: SqsRecord) => handleRecord(record),
    new BatchProcessor(EventType.SQS),
    // One record at a time: the account's call budget paces the reads anyway, and a batch of
    // one event's redeliveries is judged once.
    { ...(context ? { context } : {}), processInParallel: false, throwOnFullBatchFailure: false },
  );
}

/** A record's body, parsed as JSON and then by `parse`; a ValidationError names the message. */
export function parseBody<T>(record: SqsRecord, parse: (json: unknown, what: string) => T): T {
  const what = `Message ${record.messageId}`;
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch (error) {
    throw new ValidationError(`${what} is not JSON: ${(error as Error).message}`);
  }
  return parse(json, what);
}
