// What people get, for every kind of news: the SNS message (subject, text, JSON document,
// attributes), the Amazon Q Developer in chat applications (Chatbot) card and the Slack Block Kit
// message, compared with golden files in test/golden/notify/ that were reviewed by eye (readable,
// complete, nothing secret). `UPDATE_GOLDEN=1 npx jest test/pipeline/notify/render` rewrites them;
// review the diff before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../../../model/verdict';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { MemoryLedger } from '../../../pipeline/notify/dedup';
import {
  type NotificationDocument,
  parseNotificationDocument,
} from '../../../pipeline/notify/document-schema';
import type { EventType } from '../../../pipeline/notify/event-type';
import { Notifier } from '../../../pipeline/notify/notifier';
import {
  documentJsonOf,
  renderBlockKit,
  renderChatbot,
  renderSns,
  type SlackBlock,
} from '../../../pipeline/notify/render';
import { MAX_SUBJECT } from '../../../pipeline/notify/subject';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../../settings/schema';
import {
  another,
  CapturingChannel,
  NOW,
  type Recorded,
  recordedVerdicts,
  remediated,
} from '../../support/pipeline/notify-verdicts';

const GOLDEN = join(__dirname, '..', '..', 'golden', 'notify');
const update = process.env.UPDATE_GOLDEN === '1';

function expectGolden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (update) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`${path} is missing: run UPDATE_GOLDEN=1 npx jest ${__filename}`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The notifier as deployed, minus AWS: every document it would publish. */
async function documentsFor(batches: readonly (readonly Verdict[])[]): Promise<NotificationDocument[]> {
  const channel = new CapturingChannel();
  const notifier = new Notifier({
    channels: [channel],
    ledger: new MemoryLedger(),
    dedupWindowMinutes: 60,
    runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
    metrics: new MemoryMetrics(),
    log: silentLogger,
    now: () => NOW,
  });
  for (const batch of batches) await notifier.handle(batch);
  return channel.documents;
}

const PAYMENTS_WEB_ACL =
  'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/tidewater-api-baseline/5c0d7f2e-3a41-4b8e-9f6d-1e2a3b4c5d6e';

interface Case {
  readonly name: string;
  readonly eventType: EventType;
  /** Batches handed to the notifier in turn; the last message published is the one rendered. */
  readonly batches: (recorded: Recorded) => readonly (readonly Verdict[])[];
}

const cases: readonly Case[] = [
  {
    name: 'drift-waf-detached-dry-run',
    eventType: 'drift',
    batches: (r) => [
      [
        remediated(
          r.wafDetached,
          'planned',
          'Planned, not applied: dry-run (settings.dryRun is true). 1 call would be made.',
          [
            `wafv2:AssociateWebACL stage prod of API p7m2v8c4rt: associate ${PAYMENTS_WEB_ACL} (last known good)`,
          ],
        ),
      ],
    ],
  },
  {
    name: 'drift-logging-off-notify-only',
    eventType: 'drift',
    batches: (r) => [
      [
        remediated(
          r.loggingOff,
          'skipped',
          'Remediation of rest-stage-execution-logging is not switched on (rules.rest-stage-execution-logging.mode is notify).',
        ),
      ],
    ],
  },
  { name: 'drift-pending-method', eventType: 'drift', batches: (r) => [[r.methodPending]] },
  {
    name: 'drift-routes-grouped-terraform-apply',
    eventType: 'drift',
    batches: (r) => [
      [
        r.routeOpen,
        another(r.routeOpen, {
          resourceArn: 'arn:aws:apigateway:eu-west-1::/apis/h2t4r6k8m0/routes/tr2lst',
          resource: 'route GET /shipments of HTTP API tracking-http (h2t4r6k8m0)',
          reason:
            'Route GET /shipments of HTTP API tracking-http (h2t4r6k8m0) has authorization type NONE, so anyone can call it; AWS_IAM, JWT or CUSTOM authorization is expected.',
          eventId: '3b8e4f10-6d2c-4a7e-b5f9-000000000006',
          eventTime: '2026-11-23T09:30:53Z',
          latencyMs: 37000,
        }),
        another(r.routeOpen, {
          resourceArn: 'arn:aws:apigateway:eu-west-1::/apis/h2t4r6k8m0/routes/tr2get',
          resource: 'route GET /shipments/{shipmentId} of HTTP API tracking-http (h2t4r6k8m0)',
          reason:
            'Route GET /shipments/{shipmentId} of HTTP API tracking-http (h2t4r6k8m0) has authorization type NONE, so anyone can call it; AWS_IAM, JWT or CUSTOM authorization is expected.',
          eventId: '3b8e4f10-6d2c-4a7e-b5f9-000000000007',
          eventTime: '2026-11-23T09:30:53Z',
          latencyMs: 37000,
        }),
      ],
    ],
  },
  {
    name: 'resolved-logging-back-on',
    eventType: 'resolved',
    batches: (r) => [[r.loggingOff], [r.loggingBackOn]],
  },
  {
    name: 'remediated-waf-reattached',
    eventType: 'remediated',
    batches: (r) => [
      [
        remediated(
          r.wafDetached,
          'applied',
          'Applied: 1 call made; stage prod of REST API payments-api (p7m2v8c4rt) should now comply with rest-stage-waf-attached.',
          [
            `wafv2:AssociateWebACL stage prod of API p7m2v8c4rt: associate ${PAYMENTS_WEB_ACL} (last known good)`,
          ],
        ),
      ],
    ],
  },
  {
    name: 'remediation-failed-logging',
    eventType: 'remediation-failed',
    batches: (r) => [
      [
        remediated(
          r.loggingOff,
          'failed',
          'apigateway:UpdateStage failed (AccessDeniedException: User is not authorized to perform: apigateway:PATCH) after 0 of 1 call succeeded; Stage prod of REST API backoffice-admin (a9d3f5g7h1) is still non-compliant and needs a person.',
          ['apigateway:UpdateStage stage prod of API a9d3f5g7h1: /*/*/logging/loglevel → INFO'],
        ),
      ],
    ],
  },
  {
    name: 'remediation-skipped-iac',
    eventType: 'remediation-skipped',
    batches: (r) => [
      [
        remediated(
          another(r.routeOpen, {
            actor:
              'arn:aws:sts::111122223333:assumed-role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1/AWSCloudFormation',
            invokedBy: 'cloudformation.amazonaws.com',
            sourceIp: 'cloudformation.amazonaws.com',
            userAgent: 'cloudformation.amazonaws.com',
          }),
          'skipped',
          'IaC drift: the change was made through CloudFormation (arn:aws:sts::111122223333:assumed-role/cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1/AWSCloudFormation); fix the template or stack instead, gatewatch does not fight a deployment.',
        ),
      ],
    ],
  },
  {
    name: 'remediation-skipped-exemption',
    eventType: 'remediation-skipped',
    batches: (r) => [
      [
        remediated(
          r.methodsOpen,
          'skipped',
          'arn:aws:apigateway:eu-west-1::/restapis/k3x9p2a7qd/stages/prod is exempt from rest-method-authorization until 2027-01-31 (public order-tracking endpoints, reviewed by security in SEC-2291).',
        ),
      ],
    ],
  },
  {
    name: 'remediation-skipped-opt-out',
    eventType: 'remediation-skipped',
    batches: (r) => [
      [
        remediated(
          r.wafDetached,
          'skipped',
          'Stage prod of REST API payments-api (p7m2v8c4rt) is tagged gatewatch:opt-out=all: gatewatch does not change it for rest-stage-waf-attached.',
        ),
      ],
    ],
  },
  {
    name: 'remediation-escalated-rate-limit',
    eventType: 'remediation-skipped',
    batches: (r) => [
      [
        remediated(
          r.loggingOff,
          'escalated',
          'gatewatch already remediated rest-stage-execution-logging on arn:aws:apigateway:eu-west-1::/restapis/a9d3f5g7h1/stages/prod 3 times in the last 60 minutes (limit 3); something keeps undoing the fix, so a person must look.',
        ),
      ],
    ],
  },
  {
    name: 'exemption-expired',
    eventType: 'exemption-expired',
    batches: (r) => [
      [
        remediated(
          r.loggingOff,
          'planned',
          'Planned, not applied: dry-run (settings.dryRun is true). 1 call would be made. The exemption of arn:aws:apigateway:eu-west-1::/restapis/a9d3f5g7h1/* from rest-stage-execution-logging ("execution logging off during the November load test") expired on 2026-11-20 and no longer applies.',
          ['apigateway:UpdateStage stage prod of API a9d3f5g7h1: /*/*/logging/loglevel → INFO'],
        ),
      ],
    ],
  },
  { name: 'could-not-evaluate', eventType: 'could-not-evaluate', batches: (r) => [[r.couldNotRead]] },
];

let recorded: Recorded;
const rendered = new Map<string, NotificationDocument>();

beforeAll(async () => {
  recorded = await recordedVerdicts();
  for (const each of cases) {
    const documents = await documentsFor(each.batches(recorded));
    const last = documents[documents.length - 1];
    if (!last) throw new Error(`${each.name}: nothing was published`);
    rendered.set(each.name, last);
  }
});

const documentOf = (name: string) => rendered.get(name) as NotificationDocument;

function snsText(document: NotificationDocument): string {
  const sns = renderSns(document);
  const attributes = Object.entries(sns.attributes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `  ${name} (${value.DataType}): ${value.StringValue}`);
  return [`Subject: ${sns.subject}`, 'Attributes:', ...attributes, '', sns.message, ''].join('\n');
}

describe.each(cases.map((each) => [each.name, each] as const))('%s', (name, each) => {
  it('renders the SNS message as reviewed', () => {
    expectGolden(`${name}.sns.txt`, snsText(documentOf(name)));
  });

  it('renders the Chatbot custom notification as reviewed', () => {
    expectGolden(`${name}.chatbot.json`, `${JSON.stringify(renderChatbot(documentOf(name)), null, 2)}\n`);
  });

  it('renders the Slack Block Kit message as reviewed', () => {
    expectGolden(`${name}.slack.json`, `${JSON.stringify(renderBlockKit(documentOf(name)), null, 2)}\n`);
  });

  it(`is a ${each.eventType} message, filterable by its attributes`, () => {
    const document = documentOf(name);
    const { subject, attributes } = renderSns(document);

    expect(document.eventType).toBe(each.eventType);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toMatch(new RegExp(`^\\[${document.severity}\\] `));
    expect(attributes).toEqual({
      severity: { DataType: 'String', StringValue: document.severity },
      ruleId: {
        DataType: 'String.Array',
        StringValue: JSON.stringify([...new Set(document.findings.map((f) => f.ruleId))]),
      },
      status: { DataType: 'String', StringValue: document.status },
      account: { DataType: 'String', StringValue: document.accountId || 'unknown' },
      eventType: { DataType: 'String', StringValue: each.eventType },
    });
  });

  it('carries the full, versioned JSON document, which reads back as it was written', () => {
    const document = documentOf(name);
    const { message } = renderSns(document);

    const read = parseNotificationDocument(documentJsonOf(message), name);

    expect(read).toEqual(document);
    expect(read).toMatchObject({ schema: 'gatewatch.notification', version: 1 });
    for (const finding of read.findings) {
      expect(finding).toEqual(
        expect.objectContaining({
          ruleId: expect.any(String),
          title: expect.any(String),
          severity: expect.any(String),
          status: expect.any(String),
          resource: expect.objectContaining({ arn: expect.stringMatching(/^arn:aws:apigateway:/) }),
          accountId: expect.any(String),
          region: 'eu-west-1',
          values: expect.objectContaining({ summary: expect.any(String) }),
          actor: expect.objectContaining({ principal: expect.stringMatching(/^arn:aws:(iam|sts)::/) }),
          event: expect.objectContaining({ id: expect.any(String), time: expect.any(String) }),
          gatewatchDid: expect.any(String),
          runbookUrl: expect.stringMatching(/^https:\/\/github\.com\/gatewatch\/gatewatch\/blob\/main\//),
        }),
      );
    }
  });

  it('shows nothing secret: no access key of the CloudTrail record, no webhook URL', () => {
    const all = [
      snsText(documentOf(name)),
      JSON.stringify(renderChatbot(documentOf(name))),
      JSON.stringify(renderBlockKit(documentOf(name))),
    ];
    for (const text of all) {
      expect(text).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
      expect(text).not.toContain('ASIAEXAMPLE');
      expect(text).not.toContain('hooks.slack.com');
      expect(text).not.toContain('accessKeyId');
    }
  });

  it("fits Chatbot's custom notification schema and Slack's Block Kit limits", () => {
    const chatbot = renderChatbot(documentOf(name));
    const slack = renderBlockKit(documentOf(name));
    const blocks = slack.attachments.flatMap((attachment) => attachment.blocks);

    expect(chatbot).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
    expect(
      chatbot.content.nextSteps.some((step) =>
        step.endsWith(documentOf(name).findings[0]?.runbookUrl ?? '-'),
      ),
    ).toBe(true);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(textOf(blocks.find((block) => block.type === 'header')).length).toBeLessThanOrEqual(150);
    for (const block of blocks) {
      for (const field of (block.fields as { text: string }[] | undefined) ?? []) {
        expect(field.text.length).toBeLessThanOrEqual(2000);
      }
      for (const element of (block.elements as { type: string; text: unknown; url?: string }[] | undefined) ??
        []) {
        if (element.type === 'button') {
          expect(textOf(element).length).toBeLessThanOrEqual(75);
          expect(element.url).toMatch(/^https:\/\//);
        }
      }
    }
  });
});

const textOf = (block: SlackBlock | { text: unknown } | undefined) =>
  ((block?.text as { text?: string } | undefined)?.text ?? '') as string;

describe('what a person reads', () => {
  it('says who changed what, from where, and what gatewatch did, on the WAF detached from payments-api prod', () => {
    const { subject, message } = renderSns(documentOf('drift-waf-detached-dry-run'));

    expect(subject).toBe('[HIGH] Drift: rest-stage-waf-attached · payments-api prod · 111122223333');
    expect(message).toContain(
      'Drift (HIGH) on stage prod of REST API payments-api (p7m2v8c4rt), account 111122223333, eu-west-1.',
    );
    expect(message).toContain(`Changed:       ${PAYMENTS_WEB_ACL} → none`);
    expect(message).toContain('alice@tidewater.example');
    expect(message).toContain('from 198.51.100.24');
    expect(message).toContain(
      'DisassociateWebACL at 2026-11-23T09:12:04Z (event id 3b8e4f10-6d2c-4a7e-b5f9-000000000001)',
    );
    expect(message).toContain('Planned, not applied: dry-run');
    expect(message).toContain(
      'https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/p7m2v8c4rt/stages?api=p7m2v8c4rt&region=eu-west-1',
    );
    expect(message).toContain(
      'https://github.com/gatewatch/gatewatch/blob/main/runbooks/rest-stage-waf-attached.md',
    );
  });

  it('links a resolution to the drift it resolves, in the same chat thread', async () => {
    const [drift, resolved] = await documentsFor([[recorded.loggingOff], [recorded.loggingBackOn]]);

    expect(resolved?.findings[0]?.resolves).toEqual({
      eventId: recorded.loggingOff.eventId,
      eventTime: recorded.loggingOff.eventTime,
      notifiedAt: NOW.toISOString(),
    });
    expect(renderChatbot(resolved as NotificationDocument).metadata.threadId).toBe(
      renderChatbot(drift as NotificationDocument).metadata.threadId,
    );
    expect(renderSns(resolved as NotificationDocument).subject).toBe(
      '[MEDIUM] Resolved: rest-stage-execution-logging · backoffice-admin prod · 111122223333',
    );
  });

  it('names the guard that stopped a remediation', () => {
    expect(documentOf('remediation-skipped-iac').findings[0]?.remediation?.guard).toBe('iac');
    expect(documentOf('remediation-skipped-exemption').findings[0]?.remediation?.guard).toBe('exemption');
    expect(documentOf('remediation-skipped-opt-out').findings[0]?.remediation?.guard).toBe('opt-out');
    expect(documentOf('remediation-escalated-rate-limit').findings[0]?.remediation?.guard).toBe('rate-limit');
    expect(documentOf('drift-logging-off-notify-only').findings[0]?.remediation?.guard).toBe('notify-only');
  });

  it('colours the Slack message by severity, and green when resolved or remediated', () => {
    expect(renderBlockKit(documentOf('drift-waf-detached-dry-run')).attachments[0]?.color).toBe('#D62D20');
    expect(renderBlockKit(documentOf('drift-logging-off-notify-only')).attachments[0]?.color).toBe('#F2A900');
    expect(renderBlockKit(documentOf('resolved-logging-back-on')).attachments[0]?.color).toBe('#2EB67D');
    expect(renderBlockKit(documentOf('remediated-waf-reattached')).attachments[0]?.color).toBe('#2EB67D');
  });

  it('redacts a credential that reached a verdict anyway (an access key pasted into a user agent)', async () => {
    const leaky = another(recorded.wafDetached, {
      userAgent: 'curl/8.5 key=AKIAIOSFODNN7EXAMPLE hook=https://hooks.slack.com/services/T000/B000/XXXXXXXX',
    });

    const [document] = await documentsFor([[leaky]]);
    const text = renderSns(document as NotificationDocument).message;

    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('hooks.slack.com');
    expect(text).toContain('curl/8.5 key=[redacted] hook=[redacted]');
  });
});
