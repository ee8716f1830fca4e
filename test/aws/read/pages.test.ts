// Pages (aws/read/pages.ts): the SDK's paginators and `paginate` both send through the client,
// so the Pacer's middleware counts every page; `paginate` sends the token an answer gives back
// until an answer has none, and the page size as given.
import {
  GetAuthorizersCommand,
  type GetAuthorizersRequest,
  GetResourcesCommand,
  paginateGetResources,
} from '@aws-sdk/client-api-gateway';
import { GetStagesCommand, type GetStagesRequest } from '@aws-sdk/client-apigatewayv2';
import { regionClients } from '../../../aws/clients';
import { allItems, PAGE, paginate } from '../../../aws/read/pages';
import { fastPacer, mockClient } from '../../support/sdk';

const REGION = 'eu-west-1';

describe('paginate', () => {
  it('follows API Gateway position tokens, each page counted by the Pacer', async () => {
    const clients = regionClients({ region: REGION, pacer: fastPacer(), maxAttempts: 1 });
    const apigateway = mockClient(clients.apigateway);
    const sent: GetAuthorizersRequest[] = [];
    apigateway.on(GetAuthorizersCommand).callsFake((input: GetAuthorizersRequest) => {
      sent.push({ ...input });
      return input.position === undefined
        ? { items: [{ id: 'a1' }], position: 'page-2' }
        : { items: [{ id: 'a2' }, { id: 'a3' }] };
    });

    const authorizers = await allItems(
      paginate(
        (input) => clients.apigateway.send(new GetAuthorizersCommand(input)),
        { restApiId: 'k7m2p9q4ab', limit: PAGE },
        'position',
      ),
      (page) => page.items,
    );

    expect(authorizers.map((authorizer) => authorizer.id)).toEqual(['a1', 'a2', 'a3']);
    expect(sent).toEqual([
      { restApiId: 'k7m2p9q4ab', limit: 500 },
      { restApiId: 'k7m2p9q4ab', limit: 500, position: 'page-2' },
    ]);
    expect(clients.pacer.stats.calls.GetAuthorizers).toBe(2);
  });

  it('follows API Gateway v2 NextToken and stops at an answer without one', async () => {
    const clients = regionClients({ region: REGION, pacer: fastPacer(), maxAttempts: 1 });
    const apigatewayv2 = mockClient(clients.apigatewayv2);
    const tokens: (string | undefined)[] = [];
    apigatewayv2.on(GetStagesCommand).callsFake((input: GetStagesRequest) => {
      tokens.push(input.NextToken);
      const next = { undefined: 't2', t2: 't3', t3: '' }[String(input.NextToken)];
      return { Items: [{ StageName: `s-${input.NextToken ?? 't1'}` }], ...(next ? { NextToken: next } : {}) };
    });

    const stages = await allItems(
      paginate(
        (input) => clients.apigatewayv2.send(new GetStagesCommand(input)),
        { ApiId: 'a1b2c3d4e5', MaxResults: String(PAGE) },
        'NextToken',
      ),
      (page) => page.Items,
    );

    expect(stages.map((stage) => stage.StageName)).toEqual(['s-t1', 's-t2', 's-t3']);
    expect(tokens).toEqual([undefined, 't2', 't3']);
    expect(clients.pacer.stats.calls.GetStages).toBe(3);
  });
});

describe("the SDK's paginators", () => {
  it('are paced and counted like any other request', async () => {
    const clients = regionClients({ region: REGION, pacer: fastPacer(), maxAttempts: 1 });
    const apigateway = mockClient(clients.apigateway);
    apigateway
      .on(GetResourcesCommand)
      .resolvesOnce({ items: [{ id: 'r00t', path: '/' }], position: 'p2' })
      .resolvesOnce({ items: [{ id: 'r1', path: '/orders' }] });

    const resources = await allItems(
      paginateGetResources({ client: clients.apigateway }, { restApiId: 'k7m2p9q4ab', limit: PAGE }),
      (page) => page.items,
    );

    expect(resources.map((resource) => resource.path)).toEqual(['/', '/orders']);
    expect(clients.pacer.stats.calls.GetResources).toBe(2);
  });
});
