import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { AccountsPanel, accountsPanelHeight } from '../../src/ui/components/accounts-panel.js';
import { GroupViewModel } from '../../src/ui/view-model/group-view-model.js';
import { EventLog, T0 } from './fixtures.js';
import { alias, groupRun, householdGroup } from './group-fixtures.js';
import { linesOf, visible } from './render-helpers.js';

function snapshot(log = householdGroup(), group = 'g1') {
  const model = new GroupViewModel({ group, alias });
  model.applyAll(log.events);
  return model.snapshot(T0 + 60_000);
}

function panel(s = snapshot(), options: { selected?: string; maxRows?: number; width?: number } = {}) {
  return render(<AccountsPanel group={s.group} accounts={s.accounts.map((a) => a.view)} totals={s.totals} selected={options.selected ?? null} maxRows={options.maxRows ?? 10} width={options.width ?? 79} color={false} />).lastFrame();
}

describe('AccountsPanel', () => {
  it('labels each account’s row (alias, broker · account, status, progress, slippage, fills) and marks the one shown below', () => {
    const lines = linesOf(panel(snapshot(), { selected: 'run-spouse' }));
    expect(lines[0]).toBe('GROUP g1  3 runs  ⇥/←→ choose the account shown below');
    expect(lines[1]).toBe('  main      paper · MAIN   running      ###...  50%  slip +20.0bp  fills 1  tr…');
    expect(lines[2]).toMatch(/^› spouse {4}paper · SPOUSE running {6}###\.\.\. {2}50% {2}slip \+10\.0bp {2}fills 1/);
    expect(lines[3]).toMatch(/^ {2}us {8}alpaca · US1 {3}running/);
  });

  it('adds the group up per currency, each on a Σ row of its own, with the traded value and charges where the width allows', () => {
    const lines = linesOf(panel(snapshot(), { width: 99 }));
    expect(lines[4]).toBe('Σ INR       2 accounts     consolidated ###...  50%  slip +14.5bp  fills 2  traded ₹2,75,100.00  l…');
    expect(lines[5]).toBe('Σ USD       1 account      consolidated ###### 100%  slip +5.0bp  fills 1  traded $2,001.00  legs …');
  });

  it('fits 80 columns, and shows a window of the accounts around the selected one when they do not all fit', () => {
    const log = new EventLog('unused');
    for (let i = 0; i < 8; i++) groupRun(log, { runId: `r${i}`, group: 'g9', broker: 'paper', account: `ACC${i}`, legs: [] }, T0 + i * 10);
    const s = snapshot(log, 'g9');
    const frame = panel(s, { selected: 'r6', maxRows: 5 });
    const lines = linesOf(frame);
    for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(79);
    expect(lines).toHaveLength(accountsPanelHeight(8, 1, 5));
    expect(lines[0]).toContain('8 runs (6–8 of 8)');
    expect(lines.slice(1, 4).map((l) => l.slice(2, 6))).toEqual(['ACC5', 'ACC6', 'ACC7']);
    expect(lines[2]!.startsWith('› ')).toBe(true);
    expect(lines[4]).toMatch(/^Σ INR/);
  });

  it('says it is waiting before the group’s first run is seen', () => {
    const s = snapshot(new EventLog('unused'));
    expect(panel(s)).toContain('no runs yet: waiting for the group’s first run');
    expect(accountsPanelHeight(0, 0, 10)).toBe(1);
  });
});
