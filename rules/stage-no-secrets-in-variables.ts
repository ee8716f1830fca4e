import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant } from './core/rule';
import { listSome, sentence } from './core/text';

// Findings name variables and what they look like, never their values: reasons go to Slack and SNS.

/** Value shapes that are credentials whatever the variable is called. */
const SECRET_SHAPES: readonly { readonly looksLike: string; readonly pattern: RegExp }[] = [
  { looksLike: 'an AWS access key ID', pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { looksLike: 'a PEM private key', pattern: /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/ },
  { looksLike: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/ },
  { looksLike: 'a Slack token', pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/ },
  { looksLike: 'a Slack webhook URL', pattern: /hooks\.slack\.com\/(services|workflows)\// },
  { looksLike: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { looksLike: 'a Stripe secret key', pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}/ },
  { looksLike: 'a Google API key', pattern: /\bAIza[A-Za-z0-9_-]{35}\b/ },
  { looksLike: 'a URL with a password in it', pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

/** Name parts that say the variable holds a credential (matched on the name without separators). */
const SECRET_NAME_PARTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'apikey',
  'privatekey',
  'accesskey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'hmackey',
  'authorization',
  'bearer',
];
/** Whole words that do the same, too short to match inside other words. */
const SECRET_NAME_WORDS = ['pwd', 'creds', 'auth', 'jwt'];
/**
 * A name ending in one of these refers to a credential rather than holding it: `dbSecretArn`,
 * `tokenUrl`, `apiKeyId`, `tokenTtl`. Its value is still checked for credential shapes.
 */
const REFERENCE_SUFFIXES = [
  'arn',
  'id',
  'name',
  'url',
  'uri',
  'path',
  'alias',
  'ref',
  'param',
  'parameter',
  'header',
  'function',
  'lambda',
  'endpoint',
  'host',
  'region',
  'ttl',
  'expiry',
  'length',
  'type',
  'mode',
  'version',
  'issuer',
  'audience',
  'scope',
  'scopes',
];

/** `dbPassword`, `DB_PASSWORD`, `api-key` → their lower-case words. */
const wordsOf = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

function nameLooksSecret(name: string): boolean {
  const words = wordsOf(name);
  if (REFERENCE_SUFFIXES.includes(words[words.length - 1] ?? '')) return false;
  const joined = words.join('');
  return (
    SECRET_NAME_PARTS.some((part) => joined.includes(part)) ||
    words.some((word) => SECRET_NAME_WORDS.includes(word))
  );
}

/** An http(s) URL whose query string carries a credential: `…?api_key=…`, `…?token=…`. */
function urlWithSecretQuery(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return [...new URL(value).searchParams.keys()].some(nameLooksSecret);
  } catch {
    return false;
  }
}

/** A value that points at a credential or names a resource rather than being a credential. */
const isReference = (value: string) =>
  /^arn:aws[a-z-]*:/.test(value) || /^\{\{resolve:/.test(value) || /^https?:\/\//i.test(value);

function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}

/**
 * A long token of mixed-case letters and digits with high entropy, not made of words: random
 * keys pass, generated resource names (`orders-stack-CreateOrderFunction-AbC12dEf34Gh`) do not.
 */
function looksRandom(value: string, minimumLength: number): boolean {
  if (value.length < minimumLength || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return false;
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return false;
  const inWords = [...value.matchAll(/[a-z]{3,}/g)].reduce((sum, match) => sum + match[0].length, 0);
  return inWords / value.length < 0.5 && shannonEntropy(value) >= 3.5;
}

/** What a variable's value or name looks like, or null when it looks harmless. */
function secretKind(name: string, value: string, minimumEntropyLength: number): string | null {
  // "***" is how CloudTrail masks v2 stage variables; an empty or masked value holds nothing.
  if (value === '' || /^\*+$/.test(value) || /^(true|false)$/i.test(value)) return null;
  const shape = SECRET_SHAPES.find(({ pattern }) => pattern.test(value));
  if (shape) return shape.looksLike;
  if (urlWithSecretQuery(value)) return 'a URL with a credential in its query string';
  if (isReference(value)) return null;
  if (nameLooksSecret(name)) return 'named like a credential';
  if (minimumEntropyLength > 0 && looksRandom(value, minimumEntropyLength)) return 'a random key';
  return null;
}

export default defineRule({
  id: 'stage-no-secrets-in-variables',
  title: 'API stage variables hold no passwords, tokens or keys',
  severity: 'HIGH',
  resource: 'stage',
  rationale:
    'Stage variables are plain configuration: anyone who can read the stage, its CloudFormation template, its ' +
    'AWS Config history or the CloudTrail event that set it can read them, and AWS says they are not meant for ' +
    'credentials. A key in a stage variable has to be treated as leaked.',
  parameters: parameters({
    allowVariables: withDefault(
      z.array(z.string()),
      [],
      'Names of stage variables not to judge (a reviewed false positive, such as a public client ID).',
    ),
    minimumEntropyLength: withDefault(
      z.int().check(z.minimum(0)),
      32,
      'Values at least this long that look random (mixed-case letters and digits, not words) are reported as keys; 0 turns this check off.',
    ),
  }),
  evaluate(stage, { allowVariables, minimumEntropyLength }) {
    const what = sentence(describeResource(stage));
    const names = Object.keys(stage.variables);
    const suspicious = names
      .filter((name) => !allowVariables.includes(name))
      .flatMap((name) => {
        const looksLike = secretKind(name, stage.variables[name] ?? '', minimumEntropyLength);
        return looksLike ? [{ variable: name, looksLike }] : [];
      });
    const expected =
      'no credentials in stage variables (reference Secrets Manager or Parameter Store instead)';

    if (suspicious.length > 0) {
      const labels = suspicious.map(({ variable, looksLike }) => `${variable} (${looksLike})`);
      return nonCompliant(
        `${what} has ${suspicious.length === 1 ? 'a stage variable that looks' : 'stage variables that look'} like credentials: ${listSome(labels, 2)}; stage variables must not hold secrets.`,
        { observed: suspicious, expected },
      );
    }
    return compliant(
      names.length === 0
        ? `${what} has no stage variables.`
        : `${what} has ${names.length} stage ${names.length === 1 ? 'variable' : 'variables'}, none of which looks like a credential.`,
      { observed: [], expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.stage-variables.html',
    ],
  },
});
