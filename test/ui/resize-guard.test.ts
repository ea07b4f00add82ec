import { describe, expect, it } from 'vitest';
import { guardResize } from '../../src/ui/resize-guard.js';
import { FakeStdout } from './fake-terminal.js';

describe('guardResize', () => {
  it('erases the rows a narrowing terminal added by re-wrapping the last frame, before anyone else redraws', () => {
    const stdout = new FakeStdout(100, 24);
    const order: string[] = [];
    stdout.on('resize', () => order.push(`redraw after ${stdout.written.length} chars`));
    const release = guardResize(stdout.asStream());
    stdout.write('static log line\n');
    stdout.write(`\u001b[2K\u001b[1A\u001b[G${'x'.repeat(90)}\n\u001b[31m${'y'.repeat(50)}\u001b[39m\n${'z'.repeat(130)}\n`);
    const before = stdout.written.length;
    stdout.columns = 60;
    stdout.emit('resize');
    // 90 → 2 rows, 50 → 1 row, 130 → 3 rows at 60 columns: 3 extra rows, erased with the cursor row
    const erase = stdout.written.slice(before);
    expect(erase).toBe(`${'\u001b[2K\u001b[1A'.repeat(3)}\u001b[2K\u001b[G`);
    expect(order).toEqual([`redraw after ${stdout.written.length} chars`]);
    release();
    stdout.columns = 40;
    const after = stdout.written.length;
    stdout.emit('resize');
    expect(stdout.written.length).toBe(after);
  });

  it('does nothing when the terminal gets wider', () => {
    const stdout = new FakeStdout(80, 24);
    guardResize(stdout.asStream());
    stdout.write(`${'x'.repeat(79)}\n`);
    const before = stdout.written.length;
    stdout.columns = 120;
    stdout.emit('resize');
    expect(stdout.written.length).toBe(before);
  });
});
