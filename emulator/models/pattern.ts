/**
 * AWS's model patterns are Java regular expressions, matched against the whole value
 * (`String.matches`). This turns one into a JavaScript RegExp with the `u` flag (the
 * patterns use `\p{…}` classes), rewriting the few Java-only spellings the models contain:
 * identity escapes JavaScript's `u` mode refuses (`\_`, `\:`, `\ `, `\-` outside a class),
 * a `-` next to a class escape inside a class (`[\w-_]`), `\A`/`\z` anchors, and a
 * quantified `$` (`(…)${1,128}`, which Java reads as a plain end anchor).
 */

// Characters `u` mode accepts after a backslash as themselves.
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
// Letters that start a real escape sequence in `u` mode.
const ESCAPE_LETTERS = new Set([...'dDwWsSbBnrtfv0cxupPk123456789']);
const CLASS_ESCAPES = new Set([...'dDwWsSpP']);
// Java's POSIX classes are ASCII-only; JavaScript has no names for them.
const POSIX: Record<string, string> = {
  Alnum: 'a-zA-Z0-9',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Upper: 'A-Z',
  Lower: 'a-z',
  Print: '\\x20-\\x7E',
  Graph: '\\x21-\\x7E',
  Punct: '!-\\/:-@\\[-`{-~',
  Space: ' \\t\\n\\x0B\\f\\r',
};

export function javaPatternToJs(pattern: string): string {
  let out = '';
  let inClass = false;
  let lastWasClassEscape = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      i++;
      if (!inClass && next === 'A') {
        out += '^';
      } else if (!inClass && (next === 'z' || next === 'Z')) {
        out += '$';
      } else if (ESCAPE_LETTERS.has(next) || SYNTAX.has(next) || (inClass && next === '-')) {
        if (next === 'p' || next === 'P') {
          const close = pattern.indexOf('}', i);
          const name = pattern.slice(i + 2, close);
          const posix = POSIX[name];
          if (posix !== undefined && next === 'p') out += inClass ? posix : `[${posix}]`;
          else out += `\\${next}{${name}}`;
          i = close;
        } else {
          out += `\\${next}`;
        }
        lastWasClassEscape = inClass && CLASS_ESCAPES.has(next);
        continue;
      } else {
        // An identity escape Java allows and `u` mode does not: the character itself.
        out += inClass && next === ']' ? '\\]' : next;
      }
      lastWasClassEscape = false;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      else if (ch === '-' && (lastWasClassEscape || pattern[i + 1] === '\\' || pattern[i + 1] === ']')) {
        // A range cannot start or end at a class escape in `u` mode; Java reads the dash literally.
        const next = pattern.slice(i + 1, i + 3);
        if (lastWasClassEscape || /^\\[dDwWsSpP]/.test(next) || pattern[i + 1] === ']') {
          out += '\\-';
          lastWasClassEscape = false;
          continue;
        }
      }
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (pattern[i + 1] === '^') out += pattern[++i];
      lastWasClassEscape = false;
      continue;
    } else if (ch === '$' && pattern[i + 1] === '{') {
      out += '$';
      i = pattern.indexOf('}', i);
      continue;
    }
    out += ch;
    lastWasClassEscape = false;
  }
  return out;
}

const compiled = new Map<string, RegExp>();

/** The whole-value matcher for a model pattern. */
export function modelPattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${javaPatternToJs(pattern)})$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex;
}
