/**
 * Per-environment values in a definition file: `<<NAME>>` placeholders, the
 * form SageMaker's own samples use (`<<YOUR_SAGEMAKER_ROLE_ARN>>`). Unlike
 * `${{ }}` or `${}` they cannot be mistaken for a GitHub expression or a
 * shell variable, and they are never valid values in a definition, so one
 * left unresolved is always an error.
 */
const PLACEHOLDER = /<<([A-Za-z_][A-Za-z0-9_.-]*)>>/g;

export interface PlaceholderUse {
  name: string;
  line: number;
  column: number;
}

export function findPlaceholders(text: string): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, index) => {
    for (const match of lineText.matchAll(PLACEHOLDER)) {
      uses.push({ name: match[1]!, line: index + 1, column: match.index + 1 });
    }
  });
  return uses;
}

/**
 * Replaces placeholders inside the parsed definition's strings. A string that
 * is exactly one placeholder takes the value with its JSON type (so
 * `"InstanceCount": "<<COUNT>>"` can become a number); otherwise the value is
 * spliced into the string as text.
 */
export function substitute(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^<<([A-Za-z_][A-Za-z0-9_.-]*)>>$/.exec(value);
    if (whole && whole[1]! in values && typeof values[whole[1]!] !== 'string') return values[whole[1]!];
    return value.replace(PLACEHOLDER, (text, name: string) =>
      name in values
        ? typeof values[name] === 'string'
          ? (values[name] as string)
          : JSON.stringify(values[name])
        : text,
    );
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, values)]));
  }
  return value;
}
