import { GROWW_REFERENCE_ID } from './wire-facts.js';

/**
 * Our client order id ↔ Groww's `order_reference_id` (8–20 characters, letters, digits and at
 * most two hyphens). Ids of 8 characters or more are sent as they are; shorter ones are padded
 * with a hyphen and zeros, which our ids (letters and digits only) never contain, so the
 * reference reads back as the id.
 */
export function toReferenceId(clientOrderId: string): string {
  const reference = clientOrderId.length >= 8 ? clientOrderId : `${clientOrderId}-`.padEnd(8, '0');
  return reference;
}

export function fromReferenceId(reference: string | null | undefined): string | undefined {
  if (!reference) return undefined;
  const padded = /^([A-Za-z0-9]{1,6})-0*$/.exec(reference);
  return padded ? padded[1] : reference;
}

export function isReferenceId(reference: string): boolean {
  return GROWW_REFERENCE_ID.test(reference);
}
