// What `gatewatch replay` prints, written as each event is judged (nothing is kept but counts):
// a table for people, or JSON: {"verdicts": [...], "ignored": N, "duplicates": N}.

import type { ParsedEvent } from '../../events/schema';
import type { Verdict } from '../../model/verdict';
import type { DriftOutcome } from '../../pipeline/drift/detect';
import { type Output, paint, severityColour } from '../output';

export interface JudgedEvent {
  readonly event: ParsedEvent;
  readonly outcome: DriftOutcome;
  /** How long the drift handler took on this event, in milliseconds. */
  readonly handlerMs?: number;
}

export interface ReplayReport {
  add(judged: JudgedEvent): void;
  end(): void;
}

/**
 * A verdict as replay reports it. `latencyMs` (event time → verdict) is the deployed handler's
 * detection latency; replaying a recorded event it only measures how old the recording is, so
 * replay reports `handlerMs`, the time the handler took, instead.
 */
export function replayVerdict(verdict: Verdict, handlerMs: number | undefined) {
  const { latencyMs: _age, ...rest } = verdict;
  return handlerMs === undefined ? rest : { ...rest, handlerMs };
}

export function jsonReplayReport(out: Output, all: boolean): ReplayReport {
  let verdicts = 0;
  let ignored = 0;
  let duplicates = 0;
  return {
    add({ outcome, handlerMs }) {
      if (outcome.kind === 'ignored') ignored++;
      if (outcome.kind === 'duplicate') duplicates++;
      if (outcome.kind !== 'judged') return;
      for (const verdict of outcome.verdicts) {
        if (!all && verdict.change === 'unchanged') continue;
        const text = JSON.stringify(replayVerdict(verdict, handlerMs), null, 2).replace(/\n/g, '\n    ');
        out.write(`${verdicts++ === 0 ? '{\n  "verdicts": [\n' : ',\n'}    ${text}`);
      }
    },
    end() {
      out.write(
        `${verdicts === 0 ? '{\n  "verdicts": [],' : '\n  ],'}\n  "ignored": ${ignored},\n  "duplicates": ${duplicates}\n}\n`,
      );
    },
  };
}

export function tableReplayReport(out: Output, all: boolean): ReplayReport {
  const counts = { events: 0, new: 0, resolved: 0, applied: 0, planned: 0 };
  return {
    add({ event, outcome }) {
      counts.events++;
      const lines: string[] = [];
      const { record } = event;
      const header = `${record.eventTime}  ${record.eventName} (${record.eventSource})`;
      if (outcome.kind !== 'judged') {
        const what = outcome.kind === 'ignored' ? `ignored, ${outcome.reason}` : 'already handled';
        out.write(`${paint(out, 'grey', `${header}: ${what}`)}\n`);
        return;
      }
      for (const verdict of outcome.verdicts) {
        if (verdict.change === 'new') counts.new++;
        if (verdict.change === 'resolved') counts.resolved++;
        if (verdict.remediation?.action === 'applied') counts.applied++;
        if (verdict.remediation?.action === 'planned') counts.planned++;
      }
      const shown = outcome.verdicts.filter((verdict) => all || verdict.change !== 'unchanged');
      lines.push(paint(out, 'bold', `${header} by ${outcome.verdicts[0]?.actor ?? 'unknown'}`));
      if (shown.length === 0) lines.push('  no change in compliance');
      for (const verdict of shown) lines.push(...verdictLines(verdict, out));
      out.write(`${lines.join('\n')}\n`);
    },
    end() {
      const { applied, planned } = counts;
      out.write(
        `\n${counts.events} events: ${counts.new} new findings, ${counts.resolved} resolved; ` +
          (applied > 0
            ? `${applied} ${applied === 1 ? 'remediation' : 'remediations'} applied.`
            : planned > 0
              ? `${planned} ${planned === 1 ? 'remediation' : 'remediations'} planned; nothing was changed.`
              : 'dry-run, nothing was changed.') +
          '\n',
      );
    },
  };
}

/** The table for outcomes already at hand (the demo). */
export function replayTable(outcomes: readonly JudgedEvent[], all: boolean, out: Output): string {
  const chunks: string[] = [];
  const report = tableReplayReport({ isTTY: out.isTTY, write: (text) => chunks.push(text) }, all);
  for (const judged of outcomes) report.add(judged);
  report.end();
  return chunks.join('');
}

function verdictLines(verdict: Verdict, out: Output): string[] {
  const label =
    verdict.change === 'resolved'
      ? paint(out, 'green', 'RESOLVED')
      : paint(out, severityColour[verdict.severity], verdict.severity.padEnd(8));
  const lines = [
    `  ${label} ${verdict.ruleId}${verdict.pending ? ' (pending deployment)' : ''}`,
    `           ${verdict.reason}`,
  ];
  if (verdict.before !== null || verdict.after !== null) {
    lines.push(
      paint(
        out,
        'grey',
        `           before: ${JSON.stringify(verdict.before)}  after: ${JSON.stringify(verdict.after)}`,
      ),
    );
  }
  if (verdict.remediation) {
    const { action, calls, result } = verdict.remediation;
    const colour =
      action === 'applied' ? 'green' : action === 'failed' || action === 'escalated' ? 'red' : 'blue';
    lines.push(`           ${paint(out, colour, `remediation: ${action}`)}  ${result}`);
    for (const call of calls) lines.push(paint(out, 'grey', `             ${call}`));
  }
  return lines;
}
