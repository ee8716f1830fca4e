// How IAM names a role: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`. Written here because a rule
// (account-cloudwatch-role) reads role ARNs and rules import nothing above rules/; the model's
// resource identity (model/identity.ts) re-exports it for everything else.

/** A role ARN; the parse below and rule parameters that name a role check against it. */
export const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/;

export interface RoleArn {
  readonly partition: string;
  readonly accountId: string;
  /** IAM's path: `/` or `/logs/`. */
  readonly path: string;
  readonly roleName: string;
}

/** A role ARN's parts, or undefined for any other string. */
export function parseRoleArn(arn: string): RoleArn | undefined {
  const match = ROLE_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition = '', accountId = '', path = '/', roleName = ''] = match;
  return { partition, accountId, path, roleName };
}

/** The role as IAM's console shows it, path included: `logs/apigw`. */
export const roleDisplayName = (role: RoleArn) => `${role.path.slice(1)}${role.roleName}`;
