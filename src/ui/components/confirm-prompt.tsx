import React from 'react';
import { Line, type Tone } from './line.js';

/** A one-line question in place of the footer; the dashboard handles the answer keys. */
export function ConfirmPrompt({ question, choices, danger, width, color }: { question: string; choices: string; danger: boolean; width: number; color: boolean }): React.ReactElement {
  const tone: Tone = danger ? 'bad' : 'warn';
  return <Line width={width} color={color} segments={[{ text: question, tone, bold: true }, { text: `  ${choices}`, tone: 'accent' }]} />;
}
