// The `gatewatch` command: one sub-command per entry point of the pipeline.
import { UsageError } from './args';
import { configEventCommand } from './commands/config-event';
import { conformancePackCommand } from './commands/conformance-pack';
import { demoCommand } from './commands/demo';
import { replayCommand } from './commands/replay';
import { rulesCommand } from './commands/rules';
import { scanCommand } from './commands/scan';
import { type Output, stdout } from './output';

type Command = (argv: readonly string[], out: Output) => number | Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  'config-event': {
    run: configEventCommand,
    summary: 'run the AWS Config evaluator on a recorded Config rule invocation (TestMode)',
  },
  'conformance-pack': {
    run: conformancePackCommand,
    summary: 'print the gatewatch Config rules as a conformance pack',
  },
  demo: { run: demoCommand, summary: 'judge the bundled example estate, without AWS (npm start)' },
  rules: { run: rulesCommand, summary: 'list the rule catalog' },
  replay: { run: replayCommand, summary: 'run the drift handler on CloudTrail events from files (dry-run)' },
  scan: { run: scanCommand, summary: 'judge a live account, or a saved inventory, with the catalog' },
};

const width = Math.max(...Object.keys(commands).map((name) => name.length));
const usage = () =>
  [
    'Usage: gatewatch <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width + 2)}${summary}`),
    '',
    'Run gatewatch <command> --help for its options.',
  ].join('\n');

export async function main(argv: readonly string[], out: Output = stdout): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  // Own keys only: `gatewatch constructor` or `gatewatch __proto__` is an unknown command.
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  try {
    if (!command) throw new UsageError(`gatewatch: unknown command "${name}".\n\n${usage()}`);
    return await command.run(rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Runs the command line of this process and sets its exit code. */
export function runFromProcess(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gatewatch: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
