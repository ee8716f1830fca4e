// Custom domain names → snapshots, and which domains each API is reached by (normalise.ts). Pure.

import { domainNameArn } from '../../model/identity';
import type { DomainNameSnapshot, EndpointType } from '../../rules/core/resources';
import type { DomainEntry, RegionInventory } from './schema';

export function mappedDomains(domains: readonly DomainEntry[]): Map<string, string[]> {
  const byApi = new Map<string, string[]>();
  for (const { domainName, apiMappings } of domains) {
    for (const mapping of apiMappings) {
      const list = byApi.get(mapping.ApiId) ?? [];
      if (!list.includes(domainName.DomainName)) list.push(domainName.DomainName);
      byApi.set(mapping.ApiId, list);
    }
  }
  return byApi;
}

export function normaliseDomain(entry: DomainEntry, inventory: RegionInventory): DomainNameSnapshot {
  const { domainName, apiMappings } = entry;
  const configuration = domainName.DomainNameConfigurations?.[0];
  const mtls = domainName.MutualTlsAuthentication;
  return {
    kind: 'domain-name',
    accountId: inventory.accountId,
    region: inventory.region,
    arn: domainName.DomainNameArn ?? domainNameArn(inventory.region, domainName.DomainName),
    tags: domainName.Tags ?? {},
    domainName: domainName.DomainName,
    securityPolicy: configuration?.SecurityPolicy ?? 'unknown',
    endpointType: (configuration?.EndpointType ?? 'REGIONAL') as EndpointType,
    mutualTls: mtls?.TruststoreUri
      ? { truststoreUri: mtls.TruststoreUri, truststoreVersion: mtls.TruststoreVersion ?? null }
      : null,
    mappings: apiMappings.map((mapping) => ({
      apiId: mapping.ApiId,
      stage: mapping.Stage,
      basePath: mapping.ApiMappingKey || '(none)',
    })),
  };
}
