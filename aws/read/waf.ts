// WAFv2 web ACLs: read once each by ARN (GetWebACL), never per stage.
import { GetWebACLCommand, ListResourcesForWebACLCommand } from '@aws-sdk/client-wafv2';
import { parseOrThrow } from '../../rules/core/validation';
import type { RegionClients } from '../clients';
import { webAclSchema } from './schema';

/** `arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID` */
export function parseWebAclArn(arn: string): { Name: string; Id: string; Scope: 'REGIONAL' | 'CLOUDFRONT' } {
  const match = /^arn:[^:]+:wafv2:[^:]*:\d*:(regional|global)\/webacl\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!match) throw new Error(`Not a WAFv2 web ACL ARN: ${arn}`);
  return {
    Scope: match[1] === 'global' ? 'CLOUDFRONT' : 'REGIONAL',
    Name: match[2] as string,
    Id: match[3] as string,
  };
}

/** A web ACL's contents (`GetWebACL`), or undefined when WAF returns none. */
export async function readWebAcl(clients: RegionClients, arn: string) {
  const output = await clients.wafv2.send(new GetWebACLCommand(parseWebAclArn(arn)));
  return output.WebACL ? parseOrThrow(webAclSchema, output.WebACL, `Web ACL ${arn}`) : undefined;
}

/** The API Gateway stages a web ACL is associated with (`ListResourcesForWebACL`), as ARNs. */
export async function listWebAclStages(clients: RegionClients, webAclArn: string): Promise<string[]> {
  const output = await clients.wafv2.send(
    new ListResourcesForWebACLCommand({ WebACLArn: webAclArn, ResourceType: 'API_GATEWAY' }),
  );
  return output.ResourceArns ?? [];
}
