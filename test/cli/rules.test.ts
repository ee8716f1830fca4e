import { main } from '../../cli/main';
import { catalog } from '../../rules/index';
import { capture } from '../support/capture';

describe('gatewatch rules', () => {
  it('prints every rule as JSON with its runbook and remediation kind', async () => {
    const out = capture();

    const code = await main(['rules', '--format', 'json'], out);

    expect(code).toBe(0);
    const listed = JSON.parse(out.text());
    expect(listed.map((rule: { id: string }) => rule.id)).toEqual(catalog.map((rule) => rule.id));
    for (const rule of listed) {
      expect(Object.keys(rule)).toEqual(
        expect.arrayContaining([
          'id',
          'title',
          'severity',
          'resource',
          'remediation',
          'runbook',
          'references',
        ]),
      );
      expect(['none', 'safe', 'restore']).toContain(rule.remediation);
      expect(rule.runbook).toBe(`runbooks/${rule.id}.md`);
    }
  });

  it('prints a table without colour when not on a terminal', async () => {
    const out = capture(false);

    await main(['rules'], out);

    expect(out.text()).toContain('rest-stage-waf-attached');
    expect(out.text()).not.toContain('\u001b[');
  });

  it('exits 2 with a clear message on an unknown format', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const code = await main(['rules', '--format', 'xml'], capture());

    expect(code).toBe(2);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('format: Invalid option'));
    stderr.mockRestore();
  });
});
