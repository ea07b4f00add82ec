import { z } from 'zod';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { jsonPlace, type InputIssue } from '../../domain/input-issue.js';
import { DEFAULT_ROUTING_POLICY } from '../../engine/routing/default-policy.js';
import type { RoutingPolicy, RoutingRule } from '../../engine/routing/types.js';

const weight = z.number().nonnegative().finite();
const aliases = z.array(z.string().min(1)).nonempty();
const symbols = z.array(z.string().min(1)).nonempty().optional();

const RuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('only'), accounts: aliases, symbols }).strict(),
  z.object({ kind: z.literal('never'), accounts: aliases, symbols }).strict(),
  z.object({ kind: z.literal('max-share'), account: z.string().min(1), share: z.number().min(0).max(1) }).strict(),
]);

const RoutingSchema = z
  .object({
    weights: z.object({ cost: weight, quality: weight, liquidity: weight, health: weight, latency: weight }).partial().strict().optional(),
    split: z.object({ enabled: z.boolean(), min_quantity: z.number().int().positive() }).partial().strict().optional(),
    rules: z.array(RuleSchema).optional(),
    impact: z.object({ coefficient: z.number().nonnegative().finite(), volatility: z.number().positive().finite() }).partial().strict().optional(),
  })
  .strict();

/**
 * The `routing` section of config.json as the router's policy (README "Routing"): each key left
 * out takes its value from `DEFAULT_ROUTING_POLICY`; an absent section is the default policy.
 * Invalid input is an error naming the place (`config.json $.routing.rules[1].share`), exit 2.
 * With the configured aliases, a rule naming an account that does not exist is refused too:
 * a misspelt `never` would otherwise silently allow what it meant to forbid.
 */
export function parseRoutingPolicy(section: unknown, configPath: string, knownAccounts?: readonly string[]): RoutingPolicy {
  if (section === undefined) return DEFAULT_ROUTING_POLICY;
  const fix = 'see "Routing" in the README for the keys and their defaults';
  const parsed = RoutingSchema.safeParse(section);
  if (!parsed.success) {
    const issues: InputIssue[] = parsed.error.issues.map((i) => ({ ...jsonPlace(configPath, ['routing', ...i.path]), message: i.message }));
    throw new InvalidInputError(`${configPath}: invalid routing configuration`, fix, { issues });
  }
  const { weights, split, rules, impact } = parsed.data;
  const policyRules: RoutingRule[] = (rules ?? []).map((r) => ({ ...r }));
  const unknown = knownAccounts === undefined ? [] : unknownAliases(policyRules, knownAccounts, configPath);
  if (unknown.length > 0) throw new InvalidInputError(`${configPath}: routing rules name unknown accounts`, `configured accounts: ${knownAccounts!.join(', ') || 'none'}`, { issues: unknown });
  const base = DEFAULT_ROUTING_POLICY;
  return {
    weights: { ...base.weights, ...weights },
    split: { enabled: split?.enabled ?? base.split.enabled, minQuantity: split?.min_quantity ?? base.split.minQuantity },
    rules: policyRules,
    impact: { ...base.impact!, ...impact },
  };
}

function unknownAliases(rules: readonly RoutingRule[], known: readonly string[], configPath: string): InputIssue[] {
  const issues: InputIssue[] = [];
  rules.forEach((rule, i) => {
    const named = rule.kind === 'max-share' ? [rule.account] : rule.accounts;
    const field = rule.kind === 'max-share' ? 'account' : 'accounts';
    for (const alias of named) if (!known.includes(alias)) issues.push({ ...jsonPlace(configPath, ['routing', 'rules', i, field]), message: `no account "${alias}" is configured` });
  });
  return issues;
}
