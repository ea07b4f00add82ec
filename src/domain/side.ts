export type Side = 'buy' | 'sell';

/** +1 for a buy, −1 for a sell: the sign convention of EXECUTION.md. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

export function oppositeSide(side: Side): Side {
  return side === 'buy' ? 'sell' : 'buy';
}
