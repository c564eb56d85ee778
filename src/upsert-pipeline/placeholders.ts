/**
 * Per-environment values in a definition file: `<<NAME>>` placeholders, the
 * form SageMaker's own samples use (`<<YOUR_SAGEMAKER_ROLE_ARN>>`). Unlike
 * `${{ }}` or `${}` they cannot be mistaken for a GitHub expression or a
 * shell variable, and they are never valid values in a definition, so one
 * left unresolved is always an error.
 */
const PLACEHOLDER = /<<([A-Za-z_][A-Za-z0-9_.-]*)>>/g;
const WHOLE_PLACEHOLDER = /^<<([A-Za-z_][A-Za-z0-9_.-]*)>>$/;

export interface PlaceholderUse {
  name: string;
  line: number;
  column: number;
  /** The placeholder is a whole JSON string ("<<COUNT>>"), so its value keeps its own JSON type. */
  whole: boolean;
}

export function findPlaceholders(text: string): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, index) => {
    for (const match of lineText.matchAll(PLACEHOLDER)) {
      const before = lineText[match.index - 1];
      const rest = lineText.slice(match.index + match[0].length);
      // "<<NAME>>" alone is a whole value, unless a colon follows: then it is a key, which stays text.
      const whole = before === '"' && rest.startsWith('"') && !/^"\s*:/.test(rest);
      uses.push({ name: match[1]!, line: index + 1, column: match.index + 1, whole });
    }
  });
  return uses;
}

// Own properties only: a placeholder named after an object built-in (<<constructor>>, <<toString>>)
// must not find a value on the prototype.
const hasValue = (values: Record<string, unknown>, name: string): boolean => Object.hasOwn(values, name);

const isScalar = (value: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof value);

/** What is wrong with the values for these uses, one message per use, in the order they appear. */
export function placeholderProblems(
  uses: PlaceholderUse[],
  values: Record<string, unknown>,
): { use: PlaceholderUse; message: string }[] {
  const problems: { use: PlaceholderUse; message: string }[] = [];
  for (const use of uses) {
    const value = values[use.name];
    if (!hasValue(values, use.name)) {
      problems.push({
        use,
        message: `placeholder <<${use.name}>> has no value; give it in substitutions or substitutions-file`,
      });
    } else if (value === null || value === undefined) {
      // YAML's `NAME:` with nothing after it: never what was meant, and it would write `null` into the definition.
      problems.push({ use, message: `placeholder <<${use.name}>> is given an empty value; give it a value` });
    } else if (!use.whole && !isScalar(value)) {
      problems.push({
        use,
        message: `placeholder <<${use.name}>> is part of a longer string or a key, so its value must be a string, number or boolean`,
      });
    }
  }
  return problems;
}

function spliced(text: string, values: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (placeholder, name: string) =>
    // placeholderProblems has made sure it is a string, a number or a boolean: JSON writes those as text does.
    hasValue(values, name)
      ? typeof values[name] === 'string'
        ? values[name]
        : JSON.stringify(values[name])
      : placeholder,
  );
}

/**
 * Replaces placeholders inside the parsed definition's strings and keys. A string that is exactly
 * one placeholder takes the value with its JSON type (so `"InstanceCount": "<<COUNT>>"` can become
 * a number); otherwise the value is spliced into the text. Call it once placeholderProblems found
 * nothing; keys that become equal once substituted are refused, since one would silently be lost.
 */
export function substitute(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole && hasValue(values, whole[1]!)) return values[whole[1]!];
    return spliced(value, values);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [spliced(key, values), substitute(item, values)]);
    const seen = new Set<string>();
    for (const [key] of entries as [string, unknown][]) {
      if (seen.has(key)) throw new Error(`two keys become "${key}" once the placeholders are filled in`);
      seen.add(key);
    }
    return Object.fromEntries(entries);
  }
  return value;
}
