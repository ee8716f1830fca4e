// The observed value before and after a change, in words a person reads at a glance.

/** `stageLevel: INFO → OFF; weakOverrides unchanged` in words a person reads at a glance. */
export function describeChange(before: unknown, after: unknown): string {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changed = keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
    if (changed.length === 0) return 'no change in the observed value';
    return changed.map((key) => `${key}: ${valueText(before[key])} → ${valueText(after[key])}`).join('; ');
  }
  if (before === null && after === null) return 'not recorded';
  return `${valueText(before)} → ${valueText(after)}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAX_VALUE_TEXT = 200;

function valueText(value: unknown): string {
  let text: string;
  if (value === null || value === undefined || value === '') text = 'none';
  else if (Array.isArray(value) && value.length === 0) text = 'none';
  else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) text = value.join(', ');
  else if (typeof value === 'string') text = value;
  else text = JSON.stringify(value);
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}
