import { Chalk, type ChalkInstance } from 'chalk';
import { Text } from 'ink';
import React from 'react';
import { truncate, width as textWidth } from '../format.js';

/** Meaning, not colour: each panel says what a piece of text is, and this maps it to a colour. */
export type Tone = 'plain' | 'good' | 'bad' | 'warn' | 'muted' | 'accent' | 'title';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

const COLORS: Record<Tone, 'green' | 'red' | 'yellow' | 'gray' | 'cyan' | undefined> = {
  plain: undefined,
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  muted: 'gray',
  accent: 'cyan',
  title: undefined,
};

const painters = { on: new Chalk({ level: 1 }), off: new Chalk({ level: 0 }) };

/**
 * One terminal line made of styled segments, cut to `width` visible characters so that Ink never
 * wraps it (a wrapped line would make the live region taller than planned). The segments are
 * painted into one string and drawn as a single Ink text node: at 15 frames a second that is far
 * cheaper than a node per segment. With colour off no colour, bold or inverse codes are emitted
 * at all (NO_COLOR, `--no-color`, not a TTY), whatever chalk itself detected.
 */
export function Line({ segments, width, color }: { segments: Segment[]; width: number; color: boolean }): React.ReactElement {
  return <Text wrap="truncate">{paintLine(segments, width, color) || ' '}</Text>;
}

export function paintLine(segments: Segment[], width: number, color: boolean): string {
  const paint = color ? painters.on : painters.off;
  let out = '';
  let room = Math.max(0, width);
  for (const segment of segments) {
    if (room <= 0) break;
    if (segment.text === '') continue;
    const text = textWidth(segment.text) > room ? truncate(segment.text, room) : segment.text;
    room -= textWidth(text);
    if (!color) {
      out += text;
      continue;
    }
    const tone = segment.tone ?? 'plain';
    let styled: ChalkInstance = paint;
    const hue = COLORS[tone];
    if (hue) styled = styled[hue];
    if (segment.bold || tone === 'title') styled = styled.bold;
    if (segment.inverse) styled = styled.inverse;
    out += styled === paint ? text : styled(text);
  }
  return out;
}

/** Slippage and shortfall colour: positive is a cost (red), negative is favourable (green). */
export function costTone(bps: number | null | undefined): Tone {
  if (bps === null || bps === undefined || !Number.isFinite(bps) || Math.round(bps * 10) === 0) return 'plain';
  return bps > 0 ? 'bad' : 'good';
}

/** The label column that starts each panel line (`TOTALS`, `ALERTS`, …). */
export const LABEL_WIDTH = 11;
