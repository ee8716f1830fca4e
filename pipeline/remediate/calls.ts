// The write calls remediation may make, one SDK command per declared operation. A plan names
// a call by service and operation; this registry is the only place that turns it into a
// command, so a plan cannot issue anything its rule does not declare (plans.test.ts checks
// the registry against the declarations).
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  type CreateDeploymentCommandInput,
  UpdateAccountCommand,
  type UpdateAccountCommandInput,
  UpdateDomainNameCommand,
  type UpdateDomainNameCommandInput,
  UpdateMethodCommand,
  type UpdateMethodCommandInput,
  UpdateRestApiCommand,
  type UpdateRestApiCommandInput,
  UpdateStageCommand,
  type UpdateStageCommandInput,
} from '@aws-sdk/client-api-gateway';
import {
  type ApiGatewayV2Client,
  UpdateApiCommand,
  type UpdateApiCommandInput,
  UpdateRouteCommand,
  type UpdateRouteCommandInput,
  UpdateStageCommand as UpdateV2StageCommand,
  type UpdateStageCommandInput as UpdateV2StageCommandInput,
} from '@aws-sdk/client-apigatewayv2';
import {
  AssociateWebACLCommand,
  type AssociateWebACLCommandInput,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import type { RemediationCall } from '../../rules/core/rule';

/** Every write call, by `service:operation`, with its exact SDK input type. */
export interface CallInputs {
  'apigateway:UpdateStage': UpdateStageCommandInput;
  'apigateway:UpdateMethod': UpdateMethodCommandInput;
  'apigateway:CreateDeployment': CreateDeploymentCommandInput;
  'apigateway:UpdateRestApi': UpdateRestApiCommandInput;
  'apigateway:UpdateAccount': UpdateAccountCommandInput;
  'apigateway:UpdateDomainName': UpdateDomainNameCommandInput;
  'apigatewayv2:UpdateStage': UpdateV2StageCommandInput;
  'apigatewayv2:UpdateRoute': UpdateRouteCommandInput;
  'apigatewayv2:UpdateApi': UpdateApiCommandInput;
  'wafv2:AssociateWebACL': AssociateWebACLCommandInput;
}

export type CallName = keyof CallInputs;

/** One call of a plan: what it is, its exact input, and one line for people. */
export type PlannedCall = {
  [N in CallName]: {
    readonly name: N;
    readonly input: CallInputs[N];
    /** "stage prod of k3x9p2a7qd: /*\/*\/logging/loglevel → ERROR" */
    readonly describe: string;
  };
}[CallName];

export const plannedCall = <N extends CallName>(name: N, input: CallInputs[N], describe: string) =>
  ({ name, input, describe }) as PlannedCall;

/** The line a verdict carries for a call: `apigateway:UpdateStage stage prod of …`. */
export const callLine = (call: PlannedCall) => `${call.name} ${call.describe}`;

export const serviceOf = (name: CallName) => name.split(':')[0] as RemediationCall['service'];
export const operationOf = (name: CallName) => name.split(':')[1] as string;

export interface WriteClients {
  readonly apigateway: Pick<APIGatewayClient, 'send'>;
  readonly apigatewayv2: Pick<ApiGatewayV2Client, 'send'>;
  readonly wafv2: Pick<WAFV2Client, 'send'>;
}

/** The registry: the only way a planned call becomes an SDK command. */
const commands: { readonly [N in CallName]: (input: CallInputs[N]) => object } = {
  'apigateway:UpdateStage': (input) => new UpdateStageCommand(input),
  'apigateway:UpdateMethod': (input) => new UpdateMethodCommand(input),
  'apigateway:CreateDeployment': (input) => new CreateDeploymentCommand(input),
  'apigateway:UpdateRestApi': (input) => new UpdateRestApiCommand(input),
  'apigateway:UpdateAccount': (input) => new UpdateAccountCommand(input),
  'apigateway:UpdateDomainName': (input) => new UpdateDomainNameCommand(input),
  'apigatewayv2:UpdateStage': (input) => new UpdateV2StageCommand(input),
  'apigatewayv2:UpdateRoute': (input) => new UpdateRouteCommand(input),
  'apigatewayv2:UpdateApi': (input) => new UpdateApiCommand(input),
  'wafv2:AssociateWebACL': (input) => new AssociateWebACLCommand(input),
};

export const registeredCalls = Object.keys(commands) as CallName[];

/** The SDK command for a planned call. */
export function commandOf(call: PlannedCall): object {
  return (commands[call.name] as (input: unknown) => object)(call.input);
}
