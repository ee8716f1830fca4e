// Saved inventories: written by `gatewatch scan --save-inventory`, read by `--inventory`,
// validated on read so a hand-edited or stale file fails with the field that is wrong.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseOrThrow, ValidationError } from '../../rules/core/validation';
import { type Inventory, inventorySchema, READABLE_INVENTORY_VERSIONS } from './schema';

export function readInventory(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(`Cannot read inventory file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`Inventory file ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseInventory(json, `Inventory file ${path}`);
}

export function parseInventory(json: unknown, what = 'The inventory'): Inventory {
  const version = (json as { version?: unknown })?.version;
  // Another version number gets its own message; any other value is the schema's to reject
  // (String() of an object from a file can throw: {"version": {"toString": 1}}).
  if (typeof version === 'number' && !(READABLE_INVENTORY_VERSIONS as readonly number[]).includes(version)) {
    throw new ValidationError(
      `${what} has version ${String(version)}; this gatewatch reads versions ${READABLE_INVENTORY_VERSIONS.join(' and ')}.`,
    );
  }
  return parseOrThrow(inventorySchema, json, what);
}

export function writeInventory(path: string, inventory: Inventory): void {
  writeFileSync(path, `${JSON.stringify(inventory, null, 2)}\n`);
}
