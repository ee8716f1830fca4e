// API Gateway's account settings in a region (`GetAccount`): the CloudWatch Logs role it logs with.
import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import type { RegionClients } from '../clients';
import { stripMetadata } from './pages';

export async function readAccountSettings(clients: RegionClients) {
  return stripMetadata(await clients.apigateway.send(new GetAccountCommand({})));
}
