import { type Key, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { DashboardControls, DashboardExit } from './dashboard.js';
import type { DashboardSnapshot, LegView } from './view-model/dashboard-model.js';

/** The question on the footer line, while one waits for its answer. */
export type Prompt = { kind: 'kill' } | { kind: 'cancel'; leg: LegView } | { kind: 'stop' } | null;

/** What the key handler reads of the dashboard's props: always the latest render's. */
interface Latest {
  snapshot: DashboardSnapshot;
  controls?: DashboardControls;
  readOnly: boolean;
  inProcess: boolean;
  onExit(exit: DashboardExit): void;
}

/** What a key can do to the screen and to the run. */
interface KeyActions {
  latest: Latest;
  prompt: Prompt;
  help: boolean;
  selected: number | null;
  setPrompt(value: Prompt): void;
  setHelp(value: boolean): void;
  setFeedback(text: string): void;
  /** Sends a command to the run, the feedback line saying that it was requested or why it failed. */
  act(label: string, fn: () => unknown): void;
  /** False (and says so) when the dashboard may not steer the run. */
  steer(what: string): boolean;
  leave(exit: DashboardExit): void;
  move(delta: number): void;
}

/** The position of the leg `index` in `list`; the first when it is not there. */
export function positionOf(list: readonly LegView[], index: number | null): number {
  return Math.max(0, list.findIndex((l) => l.index === index));
}

/**
 * The dashboard's interaction state (selected leg, help, prompt, feedback) and its keys. Keys may
 * arrive faster than React re-renders (typing ahead, a paste), so the key handler reads and writes
 * the interaction state through refs rather than a possibly stale closure.
 */
export function useDashboardKeys(latestProps: Latest, interactive: boolean): { selected: number | null; help: boolean; prompt: Prompt; feedback: string | null } {
  const [selected, setSelectedState] = useState<number | null>(null);
  const [help, setHelpState] = useState(false);
  const [prompt, setPromptState] = useState<Prompt>(null);
  const [feedback, setFeedback] = useState<string | null>(null);
  const state = useRef({ selected, help, prompt });
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const latest = useRef(latestProps);
  latest.current = latestProps;

  const actions = (): KeyActions => ({
    latest: latest.current,
    ...state.current,
    setPrompt: (value) => {
      state.current.prompt = value;
      setPromptState(value);
    },
    setHelp: (value) => {
      state.current.help = value;
      setHelpState(value);
    },
    setFeedback,
    act: (label, fn) => {
      setFeedback(`${label}…`);
      Promise.resolve()
        .then(fn)
        .then(
          () => mounted.current && setFeedback(`${label}: requested`),
          (err: unknown) => mounted.current && setFeedback(`${label} failed: ${err instanceof Error ? err.message : String(err)}`),
        );
    },
    steer: (what) => {
      const { readOnly, controls } = latest.current;
      if (!readOnly && controls) return true;
      setFeedback(`read-only: ${what} needs \`ptexec watch --control\``);
      return false;
    },
    leave: (exit) => {
      const { controls, onExit } = latest.current;
      Promise.resolve()
        .then(() => controls?.detach())
        .catch(() => undefined)
        .finally(() => onExit(exit));
    },
    move: (delta) => {
      const list = latest.current.snapshot.legs;
      const next = list[Math.min(list.length - 1, Math.max(0, positionOf(list, state.current.selected) + delta))];
      if (next) {
        state.current.selected = next.index;
        setSelectedState(next.index);
      }
    },
  });

  useInput((input, key) => handleKey(input, key, actions()), { isActive: interactive });
  return { selected, help, prompt, feedback };
}

function handleKey(input: string, key: Key, a: KeyActions): void {
  const { snapshot: snap, controls: c } = a.latest;
  if (key.ctrl && input === 'c') return a.latest.onExit('interrupt');
  if (a.prompt) return answerPrompt(input, key, a.prompt, a);
  if (key.escape) return a.setHelp(false);
  if (input === '?') return a.setHelp(!a.help);
  if (key.upArrow || input === 'k') return a.move(-1);
  if (key.downArrow || input === 'j') return a.move(1);
  if (input === 'q') {
    if (a.latest.inProcess && !snap.ended) return a.setPrompt({ kind: 'stop' });
    return a.leave('detach');
  }
  if (input === 'p') {
    if (!a.steer('pause/resume')) return;
    if (snap.header.phase === 'paused') a.act('resume', () => c?.resume());
    else a.act('pause', () => c?.pause());
    return;
  }
  if (input === 'c') {
    if (!a.steer('cancel')) return;
    const leg = snap.legs[positionOf(snap.legs, a.selected)];
    if (!leg) return a.setFeedback('no leg selected');
    return a.setPrompt({ kind: 'cancel', leg });
  }
  if (input === 'X') {
    if (!a.steer('the kill switch')) return;
    return a.setPrompt({ kind: 'kill' });
  }
}

/** A key while a prompt waits: its answer, Escape to dismiss it; other keys do nothing. */
function answerPrompt(input: string, key: Key, pending: NonNullable<Prompt>, a: KeyActions): void {
  if (key.escape) return a.setPrompt(null);
  const answer = input.toLowerCase();
  const c = a.latest.controls;
  if (pending.kind === 'stop') {
    // The run cannot go on without this process: keeping it running is staying on its screen.
    if (answer === 'r') return a.setPrompt(null);
    if (answer === 's') {
      a.setPrompt(null);
      a.setFeedback('stopping: no new orders; the state is saved and `ptexec resume` continues');
      return a.leave('stop');
    }
    return;
  }
  if (answer === 'n') {
    a.setPrompt(null);
    return a.setFeedback('nothing sent');
  }
  if (answer !== 'y') return;
  a.setPrompt(null);
  if (pending.kind === 'kill') a.act('kill switch', () => c?.halt('kill switch from the dashboard'));
  else a.act(`cancel ${pending.leg.symbol}`, () => c?.cancel(pending.leg.index));
}
