// Dates as AWS Config writes them, and configuration items from GetResourceConfigHistory (the
// configuration as a JSON string, other field names) in the invoking event's shape.
import type { ConfigurationItem as HistoryItem } from '@aws-sdk/client-config-service';
import { type ConfigurationItem, configurationItemSchema } from '../../events/config-invocation';
import { parseOrThrow } from '../../rules/core/validation';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Config writes dates the Java way, in UTC: `Feb 21, 2019 8:10:53 AM`. ISO strings and epoch
 * numbers are accepted too. Anything else is undefined.
 */
export function isoDate(value: unknown): string | undefined {
  if (typeof value === 'number') return new Date(value < 1e11 ? value * 1000 : value).toISOString();
  if (typeof value !== 'string') return undefined;
  const java = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/.exec(value.trim());
  if (java) {
    const [, month, day, year, hour, minute, second, half] = java as unknown as string[];
    const hours = (Number(hour) % 12) + (half === 'PM' ? 12 : 0);
    const monthIndex = MONTHS.indexOf(month as string);
    if (monthIndex < 0) return undefined;
    return new Date(
      Date.UTC(Number(year), monthIndex, Number(day), hours, Number(minute), Number(second)),
    ).toISOString();
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/** An item from GetResourceConfigHistory (configuration as a JSON string) in the invoking event's shape. */
export function fromHistoryItem(item: HistoryItem): ConfigurationItem {
  let configuration: unknown = null;
  if (item.configuration) {
    try {
      configuration = JSON.parse(item.configuration);
    } catch {
      configuration = null;
    }
  }
  return parseOrThrow(
    configurationItemSchema,
    {
      configurationItemCaptureTime: item.configurationItemCaptureTime?.toISOString(),
      configurationItemStatus: item.configurationItemStatus,
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      resourceName: item.resourceName,
      ARN: item.arn,
      awsRegion: item.awsRegion,
      awsAccountId: item.accountId,
      configuration,
      tags: item.tags,
      relationships: (item.relationships ?? []).map((relationship) => ({
        resourceType: relationship.resourceType,
        resourceId: relationship.resourceId,
        resourceName: relationship.resourceName,
        name: relationship.relationshipName,
      })),
    },
    `The configuration item of ${item.resourceType} ${item.resourceId} from GetResourceConfigHistory`,
  );
}
