/**
 * Items grouped by a key, each group in the items' order. Each item is pushed onto its group's
 * list: copying the list for every item (`[...old, item]`) costs the square of a group's size.
 */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
