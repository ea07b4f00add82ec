/**
 * What a token may do: `read` the recorded runs, orders and reports; `trade` (execute, pause,
 * resume, cancel, halt, unhalt); `admin` (manage tokens). Scopes do not imply each other: a token
 * that trades and reads has both.
 */
export const SCOPES = ['read', 'trade', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(text: string): text is Scope {
  return (SCOPES as readonly string[]).includes(text);
}
