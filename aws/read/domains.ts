// Custom domain names with their API mappings (API Gateway v2 lists REST and HTTP APIs' domains alike).
import {
  GetApiMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { parseOrThrow } from '../../rules/core/validation';
import { classifyError, type RegionClients } from '../clients';
import { allItems, mapPool, PAGE, paginate, stripMetadata } from './pages';
import { type DomainEntry, domainEntrySchema } from './schema';

/** Every custom domain name with its API mappings; a domain deleted while being read is left out. */
export async function readDomainNames(clients: RegionClients, concurrency: number): Promise<DomainEntry[]> {
  const domains = await allItems(
    paginate(
      (input) => clients.apigatewayv2.send(new GetDomainNamesCommand(input)),
      { MaxResults: String(PAGE) },
      'NextToken',
    ),
    (page) => page.Items,
  );
  const entries = await mapPool(domains, concurrency, async (domain) => {
    try {
      return await readDomainEntry(clients, domain);
    } catch (error) {
      if (classifyError(error).kind === 'gone') return undefined;
      throw error;
    }
  });
  return entries.filter((entry): entry is DomainEntry => entry !== undefined);
}

/** One custom domain name's entry: its API mappings (every page) beside what `GetDomainName(s)` said of it. */
export async function readDomainEntry(
  clients: RegionClients,
  domain: { DomainName?: string },
): Promise<DomainEntry> {
  const DomainName = domain.DomainName as string;
  const apiMappings = await allItems(
    paginate(
      (input) => clients.apigatewayv2.send(new GetApiMappingsCommand(input)),
      { DomainName, MaxResults: String(PAGE) },
      'NextToken',
    ),
    (page) => page.Items,
  );
  return parseOrThrow(domainEntrySchema, { domainName: domain, apiMappings }, `Domain name ${DomainName}`);
}

/** One custom domain name (`GetDomainName`) with its API mappings. */
export async function readDomainName(clients: RegionClients, DomainName: string): Promise<DomainEntry> {
  const domain = stripMetadata(await clients.apigatewayv2.send(new GetDomainNameCommand({ DomainName })));
  return readDomainEntry(clients, domain);
}
