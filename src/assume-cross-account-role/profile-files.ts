/**
 * Named profiles in the shared credentials and config files. Several steps of
 * one job each add their own profile, so edits replace one section and leave
 * the others alone.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

type Section = Record<string, string>;

const SECTION_HEADER = /^\s*\[([^\]]+)\]\s*$/;

/** Splits an INI text into sections, keeping the original lines of each. */
function sections(text: string): { name: string | undefined; lines: string[] }[] {
  const result: { name: string | undefined; lines: string[] }[] = [{ name: undefined, lines: [] }];
  for (const line of text.split('\n')) {
    const header = SECTION_HEADER.exec(line);
    if (header) result.push({ name: header[1]!.trim(), lines: [line] });
    else result[result.length - 1]!.lines.push(line);
  }
  return result;
}

function render(parts: { lines: string[] }[]): string {
  const text = parts
    .map((part) => part.lines.join('\n').trim())
    .filter((chunk) => chunk !== '')
    .join('\n\n');
  return text === '' ? '' : `${text}\n`;
}

export function replaceSection(text: string, name: string, values: Section | undefined): string {
  const parts = sections(text).filter((part) => part.name !== name);
  if (values) {
    parts.push({
      name,
      lines: [`[${name}]`, ...Object.entries(values).map(([key, value]) => `${key} = ${value}`)],
    });
  }
  return render(parts);
}

export function sectionNames(text: string): string[] {
  return sections(text)
    .map((part) => part.name)
    .filter((name): name is string => name !== undefined);
}

/** The config file names every profile but "default" as "profile <name>". */
export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, text, { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already existed.
  chmodSync(path, 0o600);
}

export function writeSection(path: string, name: string, values: Section): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  writePrivate(path, replaceSection(current, name, values));
}

/** Removes one section; the file itself goes once nothing is left in it. */
export function removeSection(path: string, name: string): void {
  if (!existsSync(path)) return;
  const remaining = replaceSection(readFileSync(path, 'utf8'), name, undefined);
  if (remaining === '') rmSync(path);
  else writePrivate(path, remaining);
}
