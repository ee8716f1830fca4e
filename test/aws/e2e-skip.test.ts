// `npm run test:aws` must be safe to run anywhere: without credentials, in CI (unless asked), or
// with credentials for an account nobody confirmed as a sandbox, it says why it skips and exits 0
// without deploying anything. The AWS side of the test itself runs only against a real account.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import 'aws-sdk-client-mock-jest';
import { mockClient } from '../support/sdk';
import { main, preflight } from './e2e';

const ACCOUNT = '111122223333';
const sts = mockClient(STSClient);
const client = () => new STSClient({ region: 'eu-west-1' });
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  AWS_REGION: 'eu-west-1',
  ...extra,
});

afterEach(() => sts.reset());
afterAll(() => sts.restore());

describe('the AWS end-to-end test', () => {
  it('skips without credentials, saying so', async () => {
    // Prepare: the SDK's credential chain found nothing.
    sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    // Act
    const decided = await preflight(env(), client);
    // Assess
    expect(decided).toEqual({
      run: false,
      message:
        'skipped: no AWS credentials (CredentialsProviderError: Could not load credentials from any providers)',
    });
  });

  it('skips when the credentials do not answer within the time allowed', async () => {
    sts.on(GetCallerIdentityCommand).callsFake(() => new Promise(() => {}));
    const decided = await preflight(env(), client, 50);
    expect(decided).toEqual({
      run: false,
      message: 'skipped: no AWS credentials (TimeoutError: no answer within 0.05 s)',
    });
  });

  it('skips in CI unless GATEWATCH_E2E=1, without asking AWS', async () => {
    const decided = await preflight(env({ CI: 'true' }), client);
    expect(decided.run).toBe(false);
    expect(!decided.run && decided.message).toMatch(/CI=true \(set GATEWATCH_E2E=1/);
    expect(sts).not.toHaveReceivedCommand(GetCallerIdentityCommand);
  });

  it('skips unless the account is confirmed as a sandbox, naming it', async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
      UserId: 'AROAEXAMPLE:alice',
    });
    const unconfirmed = await preflight(env({ CI: 'true', GATEWATCH_E2E: '1' }), client);
    expect(!unconfirmed.run && unconfirmed.message).toMatch(/GATEWATCH_E2E_ACCOUNT=111122223333/);
    const confirmed = await preflight(env({ GATEWATCH_E2E_ACCOUNT: ACCOUNT }), client);
    expect(confirmed).toEqual({
      run: true,
      account: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
      region: 'eu-west-1',
    });
  });

  it('skips without a region', async () => {
    expect(await preflight({}, client)).toEqual({
      run: false,
      message: 'skipped: no AWS region (set AWS_REGION)',
    });
  });

  it('exits 0 with the message when it skips', async () => {
    // Prepare
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    // Act
    const code = await main({ CI: 'true' });
    // Assess
    expect(code).toBe(0);
    expect(written.join('')).toMatch(/^gatewatch AWS end-to-end test skipped: CI=true/);
    jest.restoreAllMocks();
  });
});
