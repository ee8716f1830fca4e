// Text output for people: aligned tables, with colour only when writing to a terminal.
import type { Severity } from '../rules/core/rule';

export interface Output {
  readonly isTTY: boolean;
  write(text: string): void;
}

export const stdout: Output = {
  isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  write: (text) => process.stdout.write(text),
};

const codes = { red: 31, yellow: 33, blue: 34, grey: 90, bold: 1, green: 32, magenta: 35 } as const;
export type Colour = keyof typeof codes;

export function paint(out: Output, colour: Colour, text: string): string {
  return out.isTTY ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

export const severityColour: Record<Severity, Colour> = {
  CRITICAL: 'magenta',
  HIGH: 'red',
  MEDIUM: 'yellow',
  LOW: 'blue',
  INFO: 'grey',
};

/** Columns padded to their widest cell; `colour` decorates a cell after padding so escapes do not skew widths. */
export function table(
  out: Output,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  colour: (row: number, column: number) => Colour | undefined = () => undefined,
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[], decorate: (column: number, text: string) => string) =>
    cells
      .map((cell, column) =>
        decorate(column, column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header, (_c, text) => paint(out, 'bold', text)),
    ...rows.map((row, index) =>
      line(row, (column, text) => {
        const c = colour(index, column);
        return c ? paint(out, c, text) : text;
      }),
    ),
  ].join('\n');
}
