import { Static } from 'ink';
import React from 'react';
import type { LogLine } from '../view-model/log-lines.js';
import { Line, type Tone } from './line.js';

const LEVEL_TONE: Record<string, Tone> = { info: 'muted', warn: 'warn', error: 'bad' };

/**
 * The fills and alerts history, newest last. It is Ink's `<Static>`: each line is written once
 * above the live region and scrolls into the terminal's own history, so it is never redrawn.
 * `lines` only ever grows (a new array each frame with the old lines as its prefix).
 */
export function FillsLog({ lines, width, color }: { lines: LogLine[]; width: number; color: boolean }): React.ReactElement {
  return (
    <Static items={lines}>
      {(line) => <Line key={line.key} width={width} color={color} segments={[{ text: line.text, tone: line.level ? LEVEL_TONE[line.level] : 'plain' }]} />}
    </Static>
  );
}
