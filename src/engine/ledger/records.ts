export function tradeKey(broker: string, tradeId: string): string {
  return `${broker}\u0000${tradeId}`;
}

export function currencyOf(exchange: string): 'INR' | 'USD' {
  return exchange === 'NSE' || exchange === 'BSE' ? 'INR' : 'USD';
}
