// UpdateMethod names a REST method by its resource id, which snapshots do not keep (they name
// methods by path). The id is read when a plan needs it: from API Gateway (GetResources, a read
// the remediator's role may make) or from the saved inventory a local replay reads. The
// remediation plans depend only on `ResourceIds` (rules/core/rule.ts).
import { paginateGetResources } from '@aws-sdk/client-api-gateway';
import type { ResourceIds } from '../../rules/core/rule';
import type { RegionClients } from '../clients';
import { PAGE } from './pages';
import type { Inventory } from './schema';

/** Reads the API's resources (one page of up to 500 at a time) until one has the path. */
export class LiveResourceIds implements ResourceIds {
  constructor(private readonly access: (region: string) => RegionClients) {}

  async resourceId(region: string, apiId: string, path: string): Promise<string | undefined> {
    const clients = this.access(region);
    const pages = paginateGetResources({ client: clients.apigateway }, { restApiId: apiId, limit: PAGE });
    // Stops at the page that has the path: the pages after it are not read.
    for await (const page of pages) {
      const found = page.items?.find((resource) => resource.path === path);
      if (found?.id) return found.id;
    }
    return undefined;
  }
}

/** Finds resource ids in saved inventories, the latest first. */
export class InventoryResourceIds implements ResourceIds {
  constructor(private readonly inventories: readonly Inventory[]) {}

  async resourceId(region: string, apiId: string, path: string): Promise<string | undefined> {
    const latestFirst = [...this.inventories].sort((a, b) => b.collectedAt.localeCompare(a.collectedAt));
    for (const inventory of latestFirst) {
      for (const regional of inventory.regions.filter((candidate) => candidate.region === region)) {
        const api = regional.restApis.find((entry) => entry.api.id === apiId);
        const found = api?.resources.find((resource) => resource.path === path);
        if (found) return found.id;
      }
    }
    return undefined;
  }
}
