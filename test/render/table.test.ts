import { describe, expect, it } from 'vitest';
import { Output } from '../../src/lib/output.js';
import { layoutTable, truncateVisible, visibleLength, type Column } from '../../src/lib/table.js';
import { FakeStdout } from '../ui/fake-terminal.js';

const columns: Column[] = [
  { header: 'symbol' },
  { header: 'qty', align: 'right' },
  { header: 'price', align: 'right', priority: 3 },
  { header: 'value', align: 'right', priority: 2 },
  { header: 'status', priority: 2 },
  { header: 'reason', truncate: true, priority: 1 },
];
const rows = [
  ['NSE:BHARTIARTL', 100, '2100.40', '210040.00', 'filled', ''],
  ['NSE:ITC', 5, '405.10', '2025.50', 'rejected', 'insufficient funds for the order at the broker'],
];
const widest = (lines: string[]) => Math.max(...lines.map(visibleLength));

describe('the table renderer', () => {
  it('aligns: text left, numbers right (headers with them), two spaces apart, no trailing blanks', () => {
    const { lines, hidden } = layoutTable(columns, rows);
    expect(lines).toEqual([
      'symbol          qty    price      value  status    reason',
      'NSE:BHARTIARTL  100  2100.40  210040.00  filled',
      'NSE:ITC           5   405.10    2025.50  rejected  insufficient funds for the order at the broker',
    ]);
    expect(hidden).toEqual([]);
  });

  it('without a width limit every column is shown in full, maximum widths ignored', () => {
    const { lines } = layoutTable([...columns.slice(0, 5), { ...columns[5]!, maxWidth: 10 }], rows, undefined);
    expect(lines[2]).toContain('insufficient funds for the order at the broker');
  });

  it('shortens a shortenable column with … before hiding anything more important', () => {
    const { lines, hidden } = layoutTable(columns, rows, 70);
    expect(hidden).toEqual([]);
    expect(widest(lines)).toBe(70);
    expect(lines[2]).toBe('NSE:ITC           5   405.10    2025.50  rejected  insufficient funds…');
  });

  it('hides the lowest priority first (the rightmost of equals first), only as many as needed', () => {
    // Even cut to its minimum (8) reason does not fit in 56: it goes first, then status (the
    // rightmost of the two of priority 2), then value. `hidden` lists them in table order.
    expect(layoutTable(columns, rows, 59).hidden).toEqual([]);
    expect(layoutTable(columns, rows, 56).hidden).toEqual(['reason']);
    expect(layoutTable(columns, rows, 48).hidden).toEqual(['status', 'reason']);
    const { lines, hidden } = layoutTable(columns, rows, 33);
    expect(hidden).toEqual(['value', 'status', 'reason']);
    expect(lines).toEqual(['symbol          qty    price', 'NSE:BHARTIARTL  100  2100.40', 'NSE:ITC           5   405.10']);
  });

  it('never cuts symbols or numbers: a table whose essential columns do not fit overflows instead', () => {
    const { lines, hidden } = layoutTable(columns, rows, 10);
    expect(hidden).toEqual(['price', 'value', 'status', 'reason']);
    expect(lines[1]).toBe('NSE:BHARTIARTL  100');
  });

  it('shares the room among shortenable columns, the narrow one first, none below its minimum', () => {
    const cols: Column[] = [{ header: 'id' }, { header: 'note', truncate: true, minWidth: 4 }, { header: 'source', truncate: true }];
    const { lines } = layoutTable(cols, [['a', 'short', 'examples/a-very-long-target-file-name.json']], 30);
    expect(lines[1]).toBe('a   short  examples/a-very-lo…');
    const tight = layoutTable(cols, [['a', 'a long note here', 'examples/a-very-long-target-file-name.json']], 20);
    expect(tight.lines[1]).toBe('a   a lo…  examples…');
  });

  it('a maximum width caps a shortenable column on a terminal even when there is room', () => {
    const cols: Column[] = [{ header: 'run' }, { header: 'source', truncate: true, maxWidth: 12 }];
    expect(layoutTable(cols, [['k3f9', 'examples/portfolio.json']], 200).lines[1]).toBe('k3f9  examples/po…');
  });

  it('counts and cuts visible characters, keeping colour codes', () => {
    const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
    expect(visibleLength(red('failed'))).toBe(6);
    expect(truncateVisible(red('rejected by the broker'), 8)).toBe('\u001b[31mrejecte…\u001b[0m');
    expect(truncateVisible('₹1,00,000', 20)).toBe('₹1,00,000');
    const { lines } = layoutTable([{ header: 'status' }, { header: 'n', align: 'right' }], [[red('failed'), 1]]);
    expect(lines[1]).toBe(`${red('failed')}  1`);
  });
});

describe('the terminal width', () => {
  const make = (stdout: { isTTY: boolean; columns?: number }, env: NodeJS.ProcessEnv = {}, options: { wide?: boolean } = {}) => {
    const s = new FakeStdout(stdout.columns ?? 0);
    s.isTTY = stdout.isTTY;
    const err = new FakeStdout();
    return { out: new Output(options, s.asStream(), err.asStream(), env), stdout: s, stderr: err };
  };

  it('is the terminal\'s on a TTY, COLUMNS overriding it; unlimited with --wide or when stdout is not a terminal, COLUMNS or not', () => {
    expect(make({ isTTY: true, columns: 132 }).out.width).toBe(132);
    expect(make({ isTTY: true, columns: 132 }, { COLUMNS: '80' }).out.width).toBe(80);
    expect(make({ isTTY: true, columns: 132 }, { COLUMNS: 'wide' }).out.width).toBe(132);
    expect(make({ isTTY: true }).out.width).toBe(80);
    expect(make({ isTTY: true, columns: 132 }, { COLUMNS: '80' }, { wide: true }).out.width).toBeUndefined();
    expect(make({ isTTY: false }, { COLUMNS: '80' }).out.width).toBeUndefined();
  });

  it('a table cut to fit says how many columns are hidden, on stderr', () => {
    const { out, stdout, stderr } = make({ isTTY: true, columns: 48 }, { NO_COLOR: '1' });
    out.table(columns, rows);
    expect(stdout.text().split('\n')[0]).toBe('symbol          qty    price      value');
    expect(stderr.text()).toBe('2 columns hidden; --wide shows all\n');
    const one = make({ isTTY: true, columns: 56 }, { NO_COLOR: '1' });
    one.out.table(columns, rows);
    expect(one.stderr.text()).toBe('1 column hidden; --wide shows all\n');
  });

  it('summary sentences wrap at spaces to the width, continuation lines indented; unlimited, they stay whole', () => {
    const text = 'Account value 10000000.00 INR; sells 0.00, buys 2065182.50, charges about 2449.83; cash 10000000.00 → about 7932367.67';
    const narrow = make({ isTTY: true, columns: 60 }, { NO_COLOR: '1' });
    narrow.out.paragraph(text);
    expect(narrow.stdout.text()).toBe('Account value 10000000.00 INR; sells 0.00, buys 2065182.50,\n  charges about 2449.83; cash 10000000.00 → about 7932367.67\n');
    const indented = make({ isTTY: true, columns: 40 }, { NO_COLOR: '1' });
    indented.out.paragraph('  ✗ INFY: order value 2500000.00 is over the limit of 1000000.00 [max_order_value]');
    expect(indented.stdout.text()).toBe('  ✗ INFY: order value 2500000.00 is over\n    the limit of 1000000.00\n    [max_order_value]\n');
    const piped = make({ isTTY: false });
    piped.out.paragraph(text);
    expect(piped.stdout.text()).toBe(`${text}\n`);
  });
});
