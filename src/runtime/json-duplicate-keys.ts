/**
 * JSON.parse keeps the last of two equal keys in one object without a word, so a definition or a
 * mapping with a key written twice silently loses the first value. This finds such a key in text
 * that JSON.parse has already accepted (so it need not check the grammar), with its position.
 */
export interface DuplicateKey {
  key: string;
  line: number;
  column: number;
}

export function firstDuplicateKey(text: string): DuplicateKey | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectingKey = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') {
      line++;
      lineStart = i + 1;
    } else if (char === '{') {
      open.push(new Set());
      expectingKey = true;
    } else if (char === '[') {
      open.push(null);
      expectingKey = false;
    } else if (char === '}' || char === ']') {
      open.pop();
      expectingKey = false;
    } else if (char === ',') {
      expectingKey = open.at(-1) instanceof Set;
    } else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const keys = open.at(-1) as Set<string>;
        if (keys.has(key)) return { key, line, column: i - lineStart + 1 };
        keys.add(key);
        expectingKey = false;
      }
      i = end;
    }
  }
  return undefined;
}
