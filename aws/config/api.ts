// The AWS Config calls the evaluator makes: deliver evaluations (at most 100 a call, with the
// rule's result token, retrying what Config reports as failed), fetch an oversized item from
// the configuration history, and list what a rule last reported (to clear stale evaluations).
import {
  type ConfigServiceClient,
  type Evaluation,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  paginateGetComplianceDetailsByConfigRule,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { ConfigurationItem } from '../../events/config-invocation';
import { fromHistoryItem } from './history';

/** PutEvaluations takes at most 100 evaluations a call. */
export const EVALUATIONS_PER_CALL = 100;
/** Attempts for evaluations Config reports in FailedEvaluations. */
const ATTEMPTS = 3;

export class EvaluationsRefusedError extends Error {
  override readonly name = 'EvaluationsRefusedError';
}

export interface ConfigApi {
  putEvaluations(evaluations: readonly Evaluation[], resultToken: string, testMode: boolean): Promise<void>;
  /** The item Config recorded at `captureTime` (or the latest before it); undefined when it has none. */
  historyItem(
    resourceType: string,
    resourceId: string,
    captureTime: string,
  ): Promise<ConfigurationItem | undefined>;
  /** The resources a rule last reported COMPLIANT or NON_COMPLIANT. */
  reportedResources(configRuleName: string): Promise<{ resourceType: string; resourceId: string }[]>;
}

export class SdkConfigApi implements ConfigApi {
  /** `client` paced by the account and region's Pacer (aws/clients.ts). */
  constructor(private readonly client: ConfigServiceClient) {}

  async putEvaluations(evaluations: readonly Evaluation[], resultToken: string, testMode: boolean) {
    // An invocation that evaluates nothing still answers with its token (an empty list).
    const batches = evaluations.length === 0 ? [[]] : chunks(evaluations, EVALUATIONS_PER_CALL);
    for (let batch of batches) {
      for (let attempt = 1; ; attempt++) {
        const { FailedEvaluations = [] } = await this.client.send(
          new PutEvaluationsCommand({
            Evaluations: batch,
            ResultToken: resultToken,
            ...(testMode ? { TestMode: true } : {}),
          }),
        );
        if (FailedEvaluations.length === 0) break;
        if (attempt >= ATTEMPTS) {
          const first = FailedEvaluations[0];
          throw new EvaluationsRefusedError(
            `AWS Config refused ${FailedEvaluations.length} evaluations after ${ATTEMPTS} attempts (first: ${first?.ComplianceResourceType} ${first?.ComplianceResourceId}).`,
          );
        }
        batch = FailedEvaluations;
      }
    }
  }

  async historyItem(resourceType: string, resourceId: string, captureTime: string) {
    const { configurationItems = [] } = await this.client.send(
      new GetResourceConfigHistoryCommand({
        // The SDK's enum lags behind the types Config records (routes, custom domains).
        resourceType: resourceType as ResourceType,
        resourceId,
        laterTime: new Date(captureTime),
        limit: 1,
      }),
    );
    const [item] = configurationItems;
    return item ? fromHistoryItem(item) : undefined;
  }

  async reportedResources(configRuleName: string) {
    const resources: { resourceType: string; resourceId: string }[] = [];
    const pages = paginateGetComplianceDetailsByConfigRule(
      { client: this.client },
      { ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'], Limit: 100 },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (qualifier?.ResourceType && qualifier.ResourceId) {
          resources.push({ resourceType: qualifier.ResourceType, resourceId: qualifier.ResourceId });
        }
      }
    }
    return resources;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
