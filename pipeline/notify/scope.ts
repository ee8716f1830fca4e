// Where a verdict's resource lives, in the words of the API Gateway console: which API (name,
// id, protocol), which stage, and the console page to open. Read from the resource ARN and the
// resource's description ("stage prod of REST API orders-api (k3x9p2a7qd)"), both on every verdict;
// the ARN is read by model/identity.ts.
import { parseArn } from '../../model/identity';
import type { Verdict } from '../../model/verdict';
import type { ApiRef, Protocol } from './document-schema';

export interface Location {
  readonly partition: string;
  readonly region: string;
  readonly api: ApiRef | null;
  readonly stage: string | null;
  /** `GET /orders` for a route. */
  readonly route: string | null;
  readonly domainName: string | null;
  /** The console page a person opens to look at or fix the resource (the stage page for stages). */
  readonly consoleUrl: string | null;
}

export function locate(verdict: Pick<Verdict, 'resourceArn' | 'resource' | 'region'>): Location {
  const parsed = parseArn(verdict.resourceArn);
  const partition = parsed?.partition ?? 'aws';
  const region = verdict.region || parsed?.region || '';
  const nowhere = { partition, region, api: null, stage: null, route: null, domainName: null };
  const identity = parsed?.identity;
  if (identity === undefined) return { ...nowhere, consoleUrl: null };
  const console = consoleHost(partition, region);
  switch (identity.kind) {
    case 'domain-name':
      return {
        ...nowhere,
        domainName: decodeURIComponent(identity.domainName),
        consoleUrl: `${console}/apigateway/main/publish/domain-names?region=${region}`,
      };
    case 'account':
      return { ...nowhere, consoleUrl: region ? `${console}/apigateway/main/apis?region=${region}` : null };
    default: {
      const id = identity.apiId;
      const ref: ApiRef = {
        id,
        name: apiNameOf(verdict.resource, id),
        protocol: identity.kind.startsWith('rest-') ? 'REST' : v2ProtocolOf(verdict.resource),
      };
      const stage =
        identity.kind === 'rest-stage' || identity.kind === 'v2-stage'
          ? decodeURIComponent(identity.stageName)
          : null;
      const route =
        identity.kind === 'v2-route'
          ? (/^route (.+?) of /.exec(verdict.resource)?.[1] ?? identity.routeId)
          : null;
      const page = stage !== null ? 'stages' : ref.protocol === 'REST' ? 'resources' : 'routes';
      return {
        ...nowhere,
        api: ref,
        stage,
        route,
        consoleUrl: `${console}/apigateway/main/apis/${id}/${page}?api=${id}&region=${region}`,
      };
    }
  }
}

/** "stage prod of REST API orders-api (k3x9p2a7qd)" → "orders-api"; the id when there is no name. */
function apiNameOf(description: string, id: string): string {
  const match = /(?:REST|HTTP|WebSocket) API (.+) \(([^()]+)\)$/.exec(description);
  return match && match[2] === id ? (match[1] as string) : id;
}

function v2ProtocolOf(description: string): Protocol | null {
  if (/\bWebSocket API\b/.test(description)) return 'WebSocket';
  if (/\bHTTP API\b/.test(description)) return 'HTTP';
  return null;
}

function consoleHost(partition: string, region: string): string {
  if (partition === 'aws-cn') return `https://${region}.console.amazonaws.cn`;
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  return `https://${region}.console.aws.amazon.com`;
}

/** "payments-api prod", "tracking-http", "api.example.com": what a person calls the place. */
export function placeName(location: Location, fallback: string): string {
  if (location.api) return location.stage ? `${location.api.name} ${location.stage}` : location.api.name;
  if (location.domainName) return location.domainName;
  return fallback;
}
