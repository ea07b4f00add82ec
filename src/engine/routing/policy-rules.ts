import type { RoutableLeg, RoutingRule } from './types.js';

function appliesTo(rule: { symbols?: readonly string[] }, leg: RoutableLeg): boolean {
  return rule.symbols === undefined || rule.symbols.some((s) => s.toUpperCase() === leg.symbol.toUpperCase());
}

function ruleText(rule: { kind: string; symbols?: readonly string[]; accounts: readonly string[] }): string {
  return `routing rule ${rule.kind} ${rule.accounts.join(', ')}${rule.symbols ? ` for ${rule.symbols.join(', ')}` : ''}`;
}

/**
 * Why the `only` and `never` rules keep a leg from an account, or undefined when they allow it.
 * Several `only` rules that apply to a leg must all name the account.
 */
export function ruleRefusal(leg: RoutableLeg, alias: string, rules: readonly RoutingRule[]): string | undefined {
  for (const rule of rules) {
    if (rule.kind === 'max-share' || !appliesTo(rule, leg)) continue;
    const named = rule.accounts.includes(alias);
    if (rule.kind === 'only' && !named) return `not allowed by ${ruleText(rule)}`;
    if (rule.kind === 'never' && named) return `excluded by ${ruleText(rule)}`;
  }
  return undefined;
}

/** The largest share of one leg an account may take: the tightest `max-share` rule naming it, else 1. */
export function maxShareOf(alias: string, rules: readonly RoutingRule[]): number {
  let share = 1;
  for (const rule of rules) if (rule.kind === 'max-share' && rule.account === alias) share = Math.min(share, rule.share);
  return share;
}
