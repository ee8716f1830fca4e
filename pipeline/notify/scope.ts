// Where a verdict's resource lives, in the words of the API Gateway console: which API (name,
// id, protocol), which stage, and the console page to open. Read from the resource ARN and the
// resource's description ("stage prod of REST API orders-api (k3x9p2a7qd)"), both on every verdict.
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

const API_ARN =
  /^arn:(aws[a-z-]*):apigateway:([a-z0-9-]*)::\/(restapis|apis)\/([^/]+)(?:\/(stages|routes)\/([^/]+))?/;
const DOMAIN_ARN = /^arn:(aws[a-z-]*):apigateway:([a-z0-9-]*)::\/domainnames\/([^/]+)/;
const ACCOUNT_ARN = /^arn:(aws[a-z-]*):apigateway:([a-z0-9-]*)::\/account$/;

export function locate(verdict: Pick<Verdict, 'resourceArn' | 'resource' | 'region'>): Location {
  const api = API_ARN.exec(verdict.resourceArn);
  if (api) {
    const [, partition = 'aws', arnRegion = '', collection, id = '', child, childName] = api;
    const region = verdict.region || arnRegion;
    const ref: ApiRef = {
      id,
      name: apiNameOf(verdict.resource, id),
      protocol: collection === 'restapis' ? 'REST' : v2ProtocolOf(verdict.resource),
    };
    const stage = child === 'stages' ? decodeURIComponent(childName ?? '') : null;
    const route =
      child === 'routes' ? (/^route (.+?) of /.exec(verdict.resource)?.[1] ?? childName ?? null) : null;
    const page = stage !== null ? 'stages' : ref.protocol === 'REST' ? 'resources' : 'routes';
    return {
      partition,
      region,
      api: ref,
      stage,
      route,
      domainName: null,
      consoleUrl: `${consoleHost(partition, region)}/apigateway/main/apis/${id}/${page}?api=${id}&region=${region}`,
    };
  }
  const domain = DOMAIN_ARN.exec(verdict.resourceArn);
  if (domain) {
    const [, partition = 'aws', arnRegion = '', name = ''] = domain;
    const region = verdict.region || arnRegion;
    return {
      partition,
      region,
      api: null,
      stage: null,
      route: null,
      domainName: decodeURIComponent(name),
      consoleUrl: `${consoleHost(partition, region)}/apigateway/main/publish/domain-names?region=${region}`,
    };
  }
  const account = ACCOUNT_ARN.exec(verdict.resourceArn);
  const partition = account?.[1] ?? 'aws';
  const region = verdict.region || account?.[2] || '';
  return {
    partition,
    region,
    api: null,
    stage: null,
    route: null,
    domainName: null,
    consoleUrl:
      account && region ? `${consoleHost(partition, region)}/apigateway/main/apis?region=${region}` : null,
  };
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
