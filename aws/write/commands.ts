// Plans to SDK commands: the only place a planned call (plain data from a rule's plan) becomes
// an SDK command, one per declared operation, so a plan cannot issue anything this registry does
// not know. tsc checks here that each plan input (rules/core/remediation-calls.ts) is one the
// SDK's command accepts; plans.test.ts checks the registry against the rules' declarations.
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  UpdateAccountCommand,
  UpdateDomainNameCommand,
  UpdateMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  type ApiGatewayV2Client,
  UpdateApiCommand,
  UpdateRouteCommand,
  UpdateStageCommand as UpdateV2StageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { AssociateWebACLCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import {
  type CallInputs,
  type CallName,
  callName,
  type PlannedCall,
} from '../../rules/core/remediation-calls';

export interface WriteClients {
  readonly apigateway: Pick<APIGatewayClient, 'send'>;
  readonly apigatewayv2: Pick<ApiGatewayV2Client, 'send'>;
  readonly wafv2: Pick<WAFV2Client, 'send'>;
}

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

/** Every call this module can make, as `service:operation`. */
export const registeredCalls = Object.keys(commands) as CallName[];

/** The SDK command for a planned call. */
export function commandOf(call: PlannedCall): object {
  const command = commands[callName(call)] as ((input: unknown) => object) | undefined;
  if (!command) throw new Error(`no SDK command for ${callName(call)}`);
  return command(call.input);
}

/** Makes one planned call with the region's clients, paced like every other call gatewatch sends. */
export async function makeCall(call: PlannedCall, clients: WriteClients): Promise<void> {
  await (clients[call.service] as { send(command: object): Promise<unknown> }).send(commandOf(call));
}
