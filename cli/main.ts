// The `gatewatch` command: one sub-command per entry point of the pipeline, and the one place
// where errors become exit codes (cli/errors.ts): 0 done, 1 findings at or above --fail-on,
// 2 a problem the person can fix (one line on stderr), 70 a bug (the stack with --debug).
// A closed standard output (`gatewatch demo | head -3`) ends the process quietly with 0.
import { configEventCommand } from './commands/config-event';
import { conformancePackCommand } from './commands/conformance-pack';
import { demoCommand } from './commands/demo';
import { replayCommand } from './commands/replay';
import { rulesCommand } from './commands/rules';
import { scanCommand } from './commands/scan';
import { EXIT, explain, UsageError } from './errors';
import { type Command, usage as commandUsage, type FlagTable, parseCommandLine } from './flags';
import { type Output, stdout } from './output';

/** Every command, in the order `gatewatch --help` lists them. */
export const commands: readonly Command<FlagTable>[] = [
  configEventCommand,
  conformancePackCommand,
  demoCommand,
  rulesCommand,
  replayCommand,
  scanCommand,
] as unknown as readonly Command<FlagTable>[];

const width = Math.max(...commands.map(({ name }) => name.length));
export const usage = () =>
  [
    'Usage: gatewatch <command> [options]',
    '',
    'Commands:',
    ...commands.map(({ name, summary }) => `  ${name.padEnd(width + 2)}${summary}`),
    '',
    'Run gatewatch <command> --help for its options; add --debug to any command to see the stack',
    'trace of an internal error.',
  ].join('\n');

/** Flags every command takes, wherever they stand before `--`. */
function globalFlags(argv: readonly string[]): { rest: string[]; help: boolean; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end < 0 ? [...argv] : argv.slice(0, end);
  const tail = end < 0 ? [] : argv.slice(end);
  const help = head.some((word) => word === '--help' || word === '-h');
  const debug = head.includes('--debug');
  return {
    rest: [...head.filter((word) => word !== '--help' && word !== '-h' && word !== '--debug'), ...tail],
    help,
    debug,
  };
}

export async function main(argv: readonly string[], out: Output = stdout): Promise<number> {
  const { rest, help, debug } = globalFlags(argv);
  const [name, ...args] = rest;
  if (!name || name === 'help') {
    out.write(`${usage()}\n`);
    return help || name === 'help' ? EXIT.ok : EXIT.problem;
  }
  const command = commands.find((candidate) => candidate.name === name);
  try {
    if (!command) {
      throw new UsageError(`gatewatch: unknown command "${name}"; \`gatewatch --help\` lists the commands.`);
    }
    if (help) {
      out.write(`${commandUsage(command)}\n`);
      return EXIT.ok;
    }
    return await command.run(parseCommandLine(command, args), out);
  } catch (error) {
    const problem = explain(error, command?.name ?? name);
    if (problem) {
      process.stderr.write(`${problem.message}\n`);
      return EXIT.problem;
    }
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(
      debug
        ? `${error instanceof Error ? error.stack : what}\n`
        : `gatewatch ${command?.name ?? name}: internal error (${firstLine(what)}). This is a bug in gatewatch: ` +
            'run again with --debug for the stack trace, and report it.\n',
    );
    return EXIT.internal;
  }
}

const firstLine = (text: string) => (text.split('\n')[0] ?? '').slice(0, 200);

/** Runs the command line of this process and sets its exit code. */
export function runFromProcess(): void {
  // A reader that stops reading (`| head`) closes the pipe: that is its choice, not an error.
  const closed = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  };
  process.stdout.on('error', closed);
  process.stderr.on('error', closed);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gatewatch: internal error (${String(error)}).\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
