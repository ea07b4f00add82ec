/**
 * When a terminal window narrows, most terminals re-wrap the lines already on screen, so the
 * previous frame now takes more rows than Ink erases before redrawing, and its top rows stay
 * behind as garbage. This guard remembers the widths of the last frame Ink wrote and, on a
 * narrowing resize, erases the extra rows just before Ink's own resize handler erases the rest
 * and redraws. (A terminal that truncates instead of re-wrapping loses a few log lines from view.)
 */
const CSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function guardResize(stdout: NodeJS.WriteStream): () => void {
  let columns = stdout.columns || 80;
  let frameWidths: number[] = [];
  const write = stdout.write;
  const recordingWrite = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    // The live frame is the last write with line breaks (static lines are written before it).
    if (typeof chunk === 'string' && chunk.includes('\n')) frameWidths = chunk.replace(CSI, '').split('\n').map((line) => [...line].length);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  };
  stdout.write = recordingWrite as typeof stdout.write;
  const onResize = () => {
    const next = stdout.columns || columns;
    if (next < columns) {
      const extra = frameWidths.reduce((rows, w) => rows + Math.max(0, Math.ceil(w / next) - 1), 0);
      if (extra > 0) write.call(stdout, eraseLines(extra + 1));
    }
    columns = next;
  };
  stdout.prependListener('resize', onResize);
  return () => {
    if (stdout.write === recordingWrite) stdout.write = write;
    stdout.off('resize', onResize);
  };
}

/** Erases `count` lines ending with the cursor's, leaving the cursor at the start of the topmost. */
function eraseLines(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += `\u001b[2K${i < count - 1 ? '\u001b[1A' : ''}`;
  return `${out}\u001b[G`;
}
