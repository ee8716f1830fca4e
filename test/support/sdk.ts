// Small builders shared by the tests that answer the AWS SDK in-process.
import type { Rule as WafRule } from '@aws-sdk/client-wafv2';
import { mockClient as stubSend } from 'aws-sdk-client-mock';
import { defaultRates, PACING_MIDDLEWARE, Pacer } from '../../aws/clients';

/** A Pacer that does not pace: pacing has tests of its own; here only the calls matter. */
export const fastPacer = () =>
  new Pacer(
    Object.fromEntries(Object.keys(defaultRates).map((name) => [name, { perSecond: 1e6, burst: 1e6 }])),
  );

/** The mocked answer of a wrapped `send`, so a later mockClient replaces it as aws-sdk-client-mock replaces its own. */
const STUB = Symbol('aws-sdk-client-mock stub');

interface Command {
  readonly middlewareStack: {
    addRelativeTo(
      middleware: () => () => Promise<unknown>,
      options: { name: string; relation: 'after'; toMiddleware: string; override: boolean },
    ): void;
  };
}
type Send = ((this: Sender, command: Command, ...rest: unknown[]) => Promise<unknown>) & { [STUB]?: Send };
interface Sender {
  send: Send;
  readonly middlewareStack: { identify(): string[] };
}

/** The SDK's own `send`: the nearest one up the prototype chain that is neither a stub nor wrapped. */
function realSendOf(holder: object): Send {
  for (let proto = Object.getPrototypeOf(holder); proto; proto = Object.getPrototypeOf(proto)) {
    const send = Object.hasOwn(proto, 'send') ? (proto as Sender).send : undefined;
    if (send && !send[STUB] && !(send as { isSinonProxy?: boolean }).isSinonProxy) return send;
  }
  throw new Error('No SDK send to wrap.');
}

/** Clients seen with a Pacer attached (a Pacer is attached once, when the client is built). */
const paced = new WeakSet<Sender>();
function isPaced(client: Sender): boolean {
  if (paced.has(client)) return true;
  const found = client.middlewareStack.identify().some((entry) => entry.startsWith(`${PACING_MIDDLEWARE} `));
  if (found) paced.add(client);
  return found;
}

/**
 * aws-sdk-client-mock's `mockClient`, with the answers given from inside the client's middleware
 * stack, right after gatewatch's pacing: a Pacer attached to the client (aws/clients.ts) paces and
 * counts mocked requests as it does real ones. The SDK's serialising, signing and retrying
 * middleware never run, as with aws-sdk-client-mock itself. Clients without a Pacer are answered
 * by the stub directly.
 */
export const mockClient: typeof stubSend = (client, options) => {
  const holder = (
    typeof client === 'function' ? (client as { prototype: unknown }).prototype : client
  ) as Sender;
  if (Object.hasOwn(holder, 'send') && holder.send[STUB]) holder.send = holder.send[STUB];
  const mock = stubSend(client, options);
  const answer = holder.send;
  const realSend = realSendOf(holder);
  const send: Send = function (this: Sender, command, ...rest) {
    if (!isPaced(this)) return answer.call(this, command, ...rest);
    command.middlewareStack.addRelativeTo(
      () => async () => ({ output: await answer.call(this, command, ...rest), response: {} }),
      { name: 'mockedAnswer', relation: 'after', toMiddleware: PACING_MIDDLEWARE, override: true },
    );
    return realSend.call(this, command, ...rest);
  };
  send[STUB] = answer;
  holder.send = send;
  // aws-sdk-client-mock's reset makes a fresh stub with its own mockClient: make it with this one.
  mock.reset = () => {
    mock.send = mockClient(client, options).send;
    return mock;
  };
  return mock;
};

/** An AWS managed rule group in a web ACL, as GetWebACL returns it; `countOnly` overrides it to count. */
export const managedRuleGroup = (Name: string, Priority: number, countOnly: boolean): WafRule => ({
  Name: `AWS-${Name}`,
  Priority,
  Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name } },
  OverrideAction: countOnly ? { Count: {} } : { None: {} },
  VisibilityConfig: {
    SampledRequestsEnabled: true,
    CloudWatchMetricsEnabled: true,
    MetricName: `AWS-${Name}`,
  },
});
