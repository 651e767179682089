import { renderResults } from '../../bench/results-md';
import type { Machine } from '../../bench/machine';

const machine: Machine = {
  cpu: 'Test CPU',
  cores: 2,
  ramGiB: '8.0',
  node: 'v20.0.0',
  os: 'Test OS',
  redis: '7.0.0',
  postgres: '15.0',
  revision: 'abc1234',
  backgroundCpuPercent: 1,
};
const render = (previous: string) =>
  renderResults({ date: new Date('2026-12-04T12:00:00Z'), machine, reports: undefined, sessions: undefined }, previous);

const faults = [
  '- Machine: Test CPU, 2 cores; 2026-12-04',
  '',
  '| File   | Requests | Faults injected | Lost |',
  '| ------ | -------: | --------------: | ---: |',
  '| abuse  |   10,000 |          10,000 |    0 |',
  '',
  '`faults/leaks: 11 secrets planted, …, found: 0`',
].join('\n');

describe('bench/RESULTS.md', () => {
  it('carries the fault suite section over verbatim, as it does the findings', () => {
    const first = render(`<!-- faults:start -->\n\n${faults}\n\n<!-- faults:end -->\n`);
    expect(first).toContain(`## Fault and abuse suite\n\n<!-- faults:start -->\n\n${faults}\n\n<!-- faults:end -->`);
    expect(render(first)).toBe(first);
  });

  it('asks for the tally lines of npm run test:faults when none were recorded', () => {
    const fresh = render('');
    expect(fresh).toContain('## Fault and abuse suite');
    expect(fresh).toContain('run `npm run test:faults` and copy its tally lines here');
    expect(fresh).toContain('prints one tally line per file');
  });
});
