/**
 * `JSON.parse` keeps the last of two equal keys without a word, so `{"quantity":10,"quantity":20}`
 * buys 20 and a second `"positions"` replaces the first. This scanner walks text that
 * `JSON.parse` has already accepted and finds every key given twice in one object.
 */
export interface DuplicateKey {
  key: string;
  /** JSONPath of the repeated key, e.g. `$.positions[0].quantity`. */
  path: string;
  line: number;
  firstLine: number;
}

type Frame = { kind: 'object'; path: string; keys: Map<string, number>; key?: string; expectKey: boolean } | { kind: 'array'; path: string; index: number };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Every duplicate key of valid JSON `text`, in the order they appear. */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let line = 1;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '$';
    if (top.kind === 'array') return `${top.path}[${top.index}]`;
    const key = top.key ?? '';
    return IDENTIFIER.test(key) ? `${top.path}.${key}` : `${top.path}[${JSON.stringify(key)}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    else if (ch === '{') stack.push({ kind: 'object', path: childPath(), keys: new Map(), expectKey: true });
    else if (ch === '[') stack.push({ kind: 'array', path: childPath(), index: 0 });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
      else if (top) top.expectKey = true;
    } else if (ch === '"') {
      let end = i + 1;
      let escaped = false;
      for (; end < text.length; end++) {
        const c = text[end];
        if (c === '"') break;
        if (c === '\\') {
          end++;
          escaped = true;
        }
      }
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const firstLine = top.keys.get(key);
        top.key = key;
        top.expectKey = false;
        if (firstLine === undefined) top.keys.set(key, line);
        else found.push({ key, path: childPath(), line, firstLine });
      }
      i = end;
    }
  }
  return found;
}
