// The flag table of each command drives its --help: every flag declared is listed, with its help.
import { commands, main } from '../../cli/main';
import { capture } from '../support/capture';

describe('gatewatch <command> --help', () => {
  it.each(commands.map((command) => [command.name, command] as const))(
    '%s lists every flag of its table',
    async (name, command) => {
      const out = capture();

      const code = await main([name, '--help'], out);

      expect(code).toBe(0);
      for (const [flag, declared] of Object.entries(command.flags)) {
        expect(out.text()).toContain(`--${flag}`);
        expect(out.text()).toContain(declared.help.split('\n')[0]);
      }
      expect(out.text()).toContain('Exit codes:');
    },
  );
});
