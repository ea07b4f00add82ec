import { Box } from 'ink';
import React from 'react';
import { fit } from '../format.js';
import { Line } from './line.js';

const KEYS: [string, string, boolean][] = [
  ['↑ / ↓', 'select a leg', false],
  ['p', 'pause or resume the run', true],
  ['c', 'cancel the selected leg (asks first)', true],
  ['X', 'kill switch: stop all order sending (asks first)', true],
  ['q', 'detach: the run goes on (ptexec watch re-attaches)', false],
  ['?', 'show or hide this help', false],
  ['Esc', 'close help or a question', false],
];

/** A group's dashboard: the key that chooses the account shown below the accounts panel. */
const ACCOUNT_KEY: [string, string, boolean] = ['⇥ ←/→', 'choose the account shown below (a group)', false];

/** Lines the help needs (one more on a group's dashboard). */
export const HELP_HEIGHT = KEYS.length + 2;
export const helpHeight = (accounts: boolean): number => HELP_HEIGHT + (accounts ? 1 : 0);

/** In the process running the run, q cannot leave it running elsewhere: it offers to stop it. */
const Q_IN_PROCESS = 'stop the run (asks; state saved, ptexec resume continues)';

/** The key reference; shown in place of the legs table so the screen does not grow. */
export function HelpOverlay({ readOnly, inProcess = false, accounts = false, width, color }: { readOnly: boolean; inProcess?: boolean; accounts?: boolean; width: number; color: boolean }): React.ReactElement {
  const keys = (accounts ? [ACCOUNT_KEY, ...KEYS] : KEYS).map(([key, what, steers]): [string, string, boolean] => [key, key === 'q' && inProcess ? Q_IN_PROCESS : what, steers]);
  return (
    <Box flexDirection="column">
      <Line width={width} color={color} segments={[{ text: 'KEYS', tone: 'title' }]} />
      {keys.map(([key, what, steers]) => (
        <Line
          key={key}
          width={width}
          color={color}
          segments={[
            { text: `  ${fit(key, 7)}`, tone: 'accent', bold: true },
            { text: what, tone: steers && readOnly ? 'muted' : 'plain' },
            { text: steers && readOnly ? ' (needs --control)' : '', tone: 'muted' },
          ]}
        />
      ))}
      <Line
        width={width}
        color={color}
        segments={[{ text: 'Key actions are recorded as events, exactly like the CLI commands.', tone: 'muted' }]}
      />
    </Box>
  );
}
