// `gatewatch replay --remediate`: the remediator runs in-process after each event's judging,
// with the same guards as in Lambda. Against saved inventories nothing can be changed, so every
// remediation is planned only; against AWS (or --endpoint-url) the settings decide (dry-run
// unless they switch it off).
import { regionAccessCache } from '../../aws/clients';
import { readInventory } from '../../aws/read/inventory-file';
import type { TargetReader } from '../../aws/read/reader';
import { InventoryResourceIds, LiveResourceIds } from '../../aws/read/resource-ids';
import type { ParsedEvent } from '../../events/schema';
import { MemoryRemediationStore } from '../../model/ledger';
import type { BaselineStore } from '../../model/stores';
import type { VerdictSink } from '../../model/verdict';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { Remediator } from '../../pipeline/remediate/remediator';
import { CollectingSink } from '../../pipeline/sinks';
import type { Settings } from '../../settings/schema';

export type RemediatorFor = (event: ParsedEvent, reader: TargetReader, baseline: BaselineStore) => Remediator;

/** A remediator per event, sharing one store, so rate limits and idempotency span the replay. */
export function replayRemediation(
  settings: Settings,
  source: { readonly inventoryPaths: readonly string[]; readonly endpoint?: string },
  next: () => VerdictSink = () => new CollectingSink(),
): RemediatorFor {
  const store = new MemoryRemediationStore();
  const fromInventory = source.inventoryPaths.length > 0;
  const access = regionAccessCache(source.endpoint ? { endpoint: source.endpoint } : {});
  const resourceIds = fromInventory
    ? new InventoryResourceIds(source.inventoryPaths.map((path) => readInventory(path)))
    : new LiveResourceIds(access);
  return (_event, reader, baseline) =>
    new Remediator({
      settings,
      reader,
      baseline,
      store,
      resourceIds,
      ...(fromInventory
        ? { planOnly: 'resources are read from saved inventories, so nothing can be changed' }
        : {
            write: { clients: access },
          }),
      next: next(),
      log: silentLogger,
      metrics: new MemoryMetrics(),
      now: () => new Date(),
    });
}
