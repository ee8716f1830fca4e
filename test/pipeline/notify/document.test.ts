// Thread ids (pipeline/notify/document.ts): stable per place, so a resolution lands in its drift's
// thread. A resource outside any API is named by its API Gateway path; an ARN that names an owner
// account (a private custom domain's), or is not API Gateway's, is kept whole.
import { buildDocument } from '../../../pipeline/notify/document';
import { groupNotices, notice } from '../../../pipeline/notify/group';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../../settings/schema';
import { another, type Recorded, recordedVerdicts } from '../../support/pipeline/notify-verdicts';

let recorded: Recorded;
beforeAll(async () => {
  recorded = await recordedVerdicts();
});

function threadIdOf(resourceArn: string, resource: string): string {
  const verdict = another(recorded.routeOpen, { resourceArn, resource });
  const [group] = groupNotices([notice(verdict)]);
  if (!group) throw new Error('no group');
  return buildDocument(group, { runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL }).threadId;
}

describe('thread ids of resources outside an API', () => {
  it.each([
    [
      'arn:aws:apigateway:eu-west-1::/domainnames/api.tidewater.example',
      'gatewatch-111122223333-eu-west-1-domainnames-api.tidewater.example',
    ],
    [
      'arn:aws-us-gov:apigateway:us-gov-west-1::/domainnames/api.tidewater.example',
      'gatewatch-111122223333-eu-west-1-domainnames-api.tidewater.example',
    ],
    [
      'arn:aws:apigateway:eu-west-1:111122223333:/domainnames/internal.tidewater.example+a1b2c3d4',
      'gatewatch-111122223333-eu-west-1-arn-aws-apigateway-eu-west-1-111122223333-domainnames-internal.tidewater.example-a1b2c3d4',
    ],
  ])('%s → %s', (arn, threadId) => {
    expect(threadIdOf(arn, 'custom domain name')).toBe(threadId);
  });
});
