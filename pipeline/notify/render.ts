// One notification document, three renderings: the SNS message (subject, a short text for people
// then the JSON document, and the attributes subscribers filter on), the custom notification
// Amazon Q Developer in chat applications (AWS Chatbot) turns into a Slack card, and the Block Kit
// message the webhook function posts. All three show the same things: severity (colour), the
// resource, the change, the actor, what gatewatch did, and links to the console and the runbook.
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import type { Severity } from '../../rules/core/rule';
import type { FindingDocument, NotificationDocument } from './document-schema';
import type { EventType } from './event-type';
import { eventLabel } from './subject';

// ─── SNS ─────────────────────────────────────────────────────────────────────────────────

export interface SnsMessage {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Record<string, MessageAttributeValue>;
}

/** The line between the text for people and the JSON document in every SNS message. */
export const DOCUMENT_MARKER = '--- gatewatch.notification (JSON) ---';

export function renderSns(document: NotificationDocument): SnsMessage {
  const lines = [document.headline, ''];
  const numbered = document.findings.length > 1;
  document.findings.forEach((finding, index) => {
    lines.push(...findingText(finding, numbered ? `${index + 1}. ` : ''), '');
  });
  if (document.omitted > 0) {
    lines.push(`${document.omitted} more findings are not listed here; gatewatch's log has them all.`, '');
  }
  lines.push(DOCUMENT_MARKER, JSON.stringify(document, null, 2));
  return { subject: document.subject, message: lines.join('\n'), attributes: attributesOf(document) };
}

function findingText(finding: FindingDocument, number: string): string[] {
  const indent = ' '.repeat(number.length);
  const row = (label: string, value: string) => `${indent}${(label ? `${label}:` : '').padEnd(15)}${value}`;
  const lines = [
    `${number}${finding.ruleId} (${finding.severity}${finding.pending ? ', pending deployment' : ''}): ${finding.title}`,
    `${indent}${finding.reason}`,
    row('Changed', finding.values.summary),
    row('By', finding.actor.principal),
  ];
  const origin = originOf(finding);
  if (origin) lines.push(row('', origin));
  lines.push(
    row('Event', `${finding.event.name} at ${finding.event.time} (event id ${finding.event.id})`),
    row(
      'Detected',
      // Found by the scheduled sweep (pipeline/sweep/sweep.ts): when the change was made is unknown.
      finding.event.name === 'ScheduledSweep'
        ? 'by the scheduled sweep: no CloudTrail event reached gatewatch for this change'
        : `${duration(finding.detectionLatencyMs)} after the change`,
    ),
    row('gatewatch did', finding.gatewatchDid),
  );
  for (const [index, call] of (finding.remediation?.calls ?? []).entries()) {
    lines.push(row(index === 0 ? 'Calls' : '', call));
  }
  if (finding.resolves) lines.push(row('Resolves', resolvesText(finding)));
  lines.push(row('Runbook', finding.runbookUrl));
  if (finding.consoleUrl) lines.push(row('Console', finding.consoleUrl));
  return lines;
}

/** "from 198.51.100.24 with aws-cli/2.22.4, via cloudformation.amazonaws.com" */
function originOf(finding: FindingDocument): string {
  const parts: string[] = [];
  if (finding.actor.sourceIp) parts.push(`from ${finding.actor.sourceIp}`);
  if (finding.actor.userAgent) parts.push(`with ${shorten(finding.actor.userAgent, 120)}`);
  if (finding.actor.invokedBy) parts.push(`via ${finding.actor.invokedBy}`);
  return parts.join(' ');
}

const resolvesText = (finding: FindingDocument) =>
  finding.resolves
    ? `the drift of ${finding.resolves.eventTime} (event id ${finding.resolves.eventId}), announced at ${finding.resolves.notifiedAt}`
    : '';

/** SNS filter policies match these (a String.Array matches when any element does). */
function attributesOf(document: NotificationDocument): Record<string, MessageAttributeValue> {
  const rules = [...new Set(document.findings.map((finding) => finding.ruleId))];
  return {
    severity: { DataType: 'String', StringValue: document.severity },
    ruleId: { DataType: 'String.Array', StringValue: JSON.stringify(rules) },
    status: { DataType: 'String', StringValue: document.status },
    account: { DataType: 'String', StringValue: document.accountId || 'unknown' },
    eventType: { DataType: 'String', StringValue: document.eventType },
  };
}

/** Finds the JSON document in an SNS message gatewatch published (or a bare document). */
export function documentJsonOf(message: string): unknown {
  const at = message.indexOf(DOCUMENT_MARKER);
  const text = at >= 0 ? message.slice(at + DOCUMENT_MARKER.length) : message;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `the message holds no gatewatch notification document: ${(error as Error).message}`,
    );
  }
}

// ─── Amazon Q Developer in chat applications (AWS Chatbot) ───────────────────────────────

/** The custom notification schema Chatbot renders (version 1.0, source custom). */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** Findings shown in full in a chat message; the rest are counted. */
export const MAX_CHAT_FINDINGS = 8;

export function renderChatbot(document: NotificationDocument): ChatbotNotification {
  const shown = document.findings.slice(0, MAX_CHAT_FINDINGS);
  const hidden = document.findings.length - shown.length + document.omitted;
  const blocks = shown.map((finding) =>
    [
      document.findings.length > 1
        ? `*${finding.ruleId}* (${finding.severity}): ${finding.reason}`
        : `*${finding.reason}*`,
      `*Changed:* ${code(finding.values.summary)}`,
      `*By:* ${finding.actor.principal}${finding.actor.sourceIp ? ` from ${finding.actor.sourceIp}` : ''}`,
      `*Event:* ${finding.event.name} at ${finding.event.time}`,
      `*gatewatch did:* ${finding.gatewatchDid}`,
      ...(finding.remediation && finding.remediation.calls.length > 0
        ? [`*Calls:* ${finding.remediation.calls.map(code).join(', ')}`]
        : []),
      ...(finding.resolves ? [`*Resolves:* ${resolvesText(finding)}`] : []),
    ].join('\n'),
  );
  if (hidden > 0) blocks.push(`…and ${hidden} more in the e-mail and the JSON message.`);
  const first = document.findings[0];
  return {
    version: '1.0',
    source: 'custom',
    id: `${document.threadId}-${first?.event.id ?? 'none'}`.slice(0, 256),
    content: {
      textType: 'client-markdown',
      title: `${emoji(document.eventType, document.severity)} ${titleOf(document)}`,
      description: blocks.join('\n\n'),
      nextSteps: linksOf(document).map((link) => `${link.label}: ${link.url}`),
      keywords: [
        document.severity,
        document.eventType,
        ...new Set(document.findings.map((finding) => finding.ruleId)),
        document.accountId,
      ]
        .filter(Boolean)
        .slice(0, 6),
    },
    metadata: {
      threadId: document.threadId,
      summary: document.subject,
      eventType: document.eventType,
      relatedResources: [...new Set(document.findings.map((finding) => finding.resource.arn))].slice(0, 20),
      additionalContext: {
        severity: document.severity,
        status: document.status,
        account: document.accountId,
        region: document.region,
        ruleIds: [...new Set(document.findings.map((finding) => finding.ruleId))].join(','),
        eventIds: [...new Set(document.findings.map((finding) => finding.event.id))].join(','),
      },
    },
  };
}

// ─── Slack Block Kit (incoming webhook) ──────────────────────────────────────────────────

/** A Slack message: `text` is the notification fallback; the attachment's colour bar shows the severity. */
export interface SlackMessage {
  readonly text: string;
  readonly attachments: readonly { readonly color: string; readonly blocks: readonly SlackBlock[] }[];
}

export type SlackBlock = Readonly<Record<string, unknown>>;

export const severityColours: Record<Severity | 'RESOLVED', string> = {
  CRITICAL: '#8B0000',
  HIGH: '#D62D20',
  MEDIUM: '#F2A900',
  LOW: '#2F80ED',
  INFO: '#9E9E9E',
  RESOLVED: '#2EB67D',
};

export function renderBlockKit(document: NotificationDocument): SlackMessage {
  const shown = document.findings.slice(0, MAX_CHAT_FINDINGS);
  const hidden = document.findings.length - shown.length + document.omitted;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: limit(titleOf(document), 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: limit(mrkdwn(document.headline), 3000) } },
  ];
  for (const finding of shown) {
    blocks.push(
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: limit(
            `*${mrkdwn(finding.ruleId)}* (${finding.severity}${finding.pending ? ', pending deployment' : ''}): ${mrkdwn(finding.title)}\n${mrkdwn(finding.reason)}`,
            3000,
          ),
        },
      },
      {
        type: 'section',
        fields: [
          field('Resource', finding.resource.name),
          field('Changed', finding.values.summary, true),
          field('By', [finding.actor.principal, originOf(finding)].filter(Boolean).join('\n')),
          field('gatewatch did', finding.gatewatchDid),
          ...(finding.remediation && finding.remediation.calls.length > 0
            ? [field('Calls', finding.remediation.calls.join('\n'), true)]
            : []),
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: limit(
              mrkdwn(
                [
                  `${finding.event.name} at ${finding.event.time}`,
                  `event id ${finding.event.id}`,
                  `detected ${duration(finding.detectionLatencyMs)} later`,
                  `account ${finding.accountId || 'unknown'}, ${finding.region || 'unknown region'}`,
                  ...(finding.resolves ? [`resolves ${resolvesText(finding)}`] : []),
                ].join(' · '),
              ),
              3000,
            ),
          },
        ],
      },
    );
  }
  if (hidden > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${hidden} more in the e-mail and the JSON message.` }],
    });
  }
  const links = linksOf(document);
  if (links.length > 0) {
    blocks.push({
      type: 'actions',
      elements: links.map((link, index) => ({
        type: 'button',
        text: { type: 'plain_text', text: limit(link.button, 75), emoji: true },
        url: link.url,
        action_id: `gatewatch-link-${index}`,
        ...(index === 0 && link.primary ? { style: 'primary' } : {}),
      })),
    });
  }
  return {
    text: mrkdwn(document.subject),
    attachments: [{ color: colourOf(document.eventType, document.severity), blocks }],
  };
}

const field = (label: string, value: string, asCode = false) => ({
  type: 'mrkdwn',
  text: limit(`*${label}*\n${asCode ? codeEscaped(value) : mrkdwn(value)}`, 2000),
});

// ─── Shared pieces ───────────────────────────────────────────────────────────────────────

interface Link {
  readonly label: string;
  readonly button: string;
  readonly url: string;
  readonly primary?: boolean;
}

/** The console page of the place, then each rule's runbook (at most five links). */
function linksOf(document: NotificationDocument): Link[] {
  const links: Link[] = [];
  const consoleUrl =
    document.scope.consoleUrl ??
    (new Set(document.findings.map((finding) => finding.consoleUrl)).size === 1
      ? (document.findings[0]?.consoleUrl ?? null)
      : null);
  if (consoleUrl) {
    const what = document.scope.kind === 'stage' ? 'stage' : document.scope.api ? 'API' : 'resource';
    links.push({
      label: `Open the ${what} in the API Gateway console`,
      button: `Open ${what} in console`,
      url: consoleUrl,
      primary: true,
    });
  }
  const runbooks = new Map<string, string>();
  for (const finding of document.findings) runbooks.set(finding.ruleId, finding.runbookUrl);
  for (const [ruleId, url] of [...runbooks].slice(0, 4)) {
    links.push({ label: `Runbook for ${ruleId}`, button: `Runbook: ${ruleId}`, url });
  }
  return links;
}

function titleOf(document: NotificationDocument): string {
  const label = eventLabel(document.eventType, document.findings);
  const rules = [...new Set(document.findings.map((finding) => finding.ruleId))];
  const total = document.findings.length + document.omitted;
  const what =
    rules.length === 1 ? `${rules[0]}${total > 1 ? ` (${total} resources)` : ''}` : `${total} findings`;
  return `[${document.severity}] ${label} on ${document.scope.name}: ${what}`;
}

const emojis: Record<Severity, string> = {
  CRITICAL: ':rotating_light:',
  HIGH: ':red_circle:',
  MEDIUM: ':large_orange_circle:',
  LOW: ':large_blue_circle:',
  INFO: ':white_circle:',
};

function emoji(type: EventType, severity: Severity): string {
  if (type === 'resolved' || type === 'remediated') return ':white_check_mark:';
  if (type === 'remediation-failed') return ':x:';
  if (type === 'could-not-evaluate') return ':grey_question:';
  return emojis[severity];
}

const colourOf = (type: EventType, severity: Severity) =>
  type === 'resolved' || type === 'remediated' ? severityColours.RESOLVED : severityColours[severity];

/** Slack mrkdwn: these three characters are control characters, everything else is text. */
const mrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const codeEscaped = (text: string) => code(mrkdwn(text));

const limit = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const shorten = limit;

/** 1166000 → "19 min 26 s". */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}
