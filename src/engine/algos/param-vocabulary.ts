/**
 * Every parameter name some algorithm understands. Run-wide parameters (`--duration`,
 * `--slices`, `--param k=v`) are merged into every leg, including legs whose line picks another
 * algorithm, so a parameter of another algorithm is ignored rather than refused; a name that no
 * algorithm knows is a typo and is refused. A test keeps this list equal to the algorithms' own.
 */
export const PARAMETER_VOCABULARY: ReadonlySet<string> = new Set([
  'duration',
  'slices',
  'periods',
  'child_type',
  'offset_bps',
  'cleanup',
  'cleanup_bps',
  'sigma',
  'eta',
  'gamma',
  'epsilon',
  'lambda',
  'rate',
  'interval',
  'min_child',
  'max_child',
  'display_qty',
  'randomize_pct',
  'seed',
  'native',
]);
