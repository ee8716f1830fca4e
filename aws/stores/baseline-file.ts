// The baseline as a JSON file, for `gatewatch scan --save-baseline` and `gatewatch replay --baseline`.
// Validated on read like every other file gatewatch takes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import type { BaselineEntry } from '../../model/stores';
import type { Snapshot } from '../../rules/core/resources';
import { parseOrThrow, ValidationError } from '../../rules/core/validation';
import { MemoryBaselineStore } from './baseline-memory';

const ruleStateSchema = z.object({
  status: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'ERROR']),
  reason: z.string(),
  observed: z.optional(z.unknown()),
  since: z.string(),
});

const baselineFileSchema = z.object({
  version: z.literal(1),
  entries: z.array(
    z.object({
      arn: z.string(),
      // Snapshots are gatewatch's own output; their kind is checked, their fields are trusted.
      snapshot: z.looseObject({ kind: z.string(), arn: z.string() }),
      rules: z.record(z.string(), ruleStateSchema),
      observedAt: z.string(),
      deleted: z.optional(z.boolean()),
    }),
  ),
  /** Event ids already handled, with their event time. */
  handledEvents: z._default(z.record(z.string(), z.string()), {}),
});

export class FileBaselineStore extends MemoryBaselineStore {
  private constructor(
    private readonly path: string,
    entries: readonly BaselineEntry[],
    handledEvents: Record<string, string>,
  ) {
    super(entries, handledEvents);
  }

  /** Opens the file, or starts an empty baseline when it does not exist yet. */
  static open(path: string): FileBaselineStore {
    if (!existsSync(path)) return new FileBaselineStore(path, [], {});
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ValidationError(`Baseline file ${path} is not JSON: ${(error as Error).message}`);
    }
    const file = parseOrThrow(baselineFileSchema, json, `Baseline file ${path}`);
    const entries = file.entries.map((entry) => ({
      ...entry,
      snapshot: entry.snapshot as unknown as Snapshot,
    }));
    return new FileBaselineStore(path, entries as BaselineEntry[], file.handledEvents);
  }

  /** A new baseline at `path` holding `entries`, whatever the file held before. */
  static create(path: string, entries: readonly BaselineEntry[]): FileBaselineStore {
    return new FileBaselineStore(path, entries, {});
  }

  save(): void {
    const file = {
      version: 1,
      entries: [...this.entries.values()].sort((a, b) => a.arn.localeCompare(b.arn)),
      handledEvents: Object.fromEntries(this.events),
    };
    writeFileSync(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}
