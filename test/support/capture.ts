import type { Output } from '../../cli/output';

/** An Output that keeps what was written, for asserting on what a person would see. */
export function capture(isTTY = false): Output & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY,
    write: (chunk) => {
      chunks.push(chunk);
    },
    text: () => chunks.join(''),
  };
}
