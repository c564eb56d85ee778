/**
 * Named profiles in the shared credentials and config files. Several steps of
 * one job each add their own profile, so edits replace one section and leave
 * the others alone. A file the action did not create is never deleted, and a
 * section in it that the action did not write is never replaced.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export function hasSection(path: string, name: string): boolean {
  return existsSync(path) && sectionNames(readFileSync(path, 'utf8')).includes(name);
}

function renderSection(name: string, values: Section): string {
  return [`[${name}]`, ...Object.entries(values).map(([key, value]) => `${key} = ${value}`)].join('\n') + '\n';
}

/** What one step put into one file, so its post step can take exactly that out again. */
export interface WrittenSection {
  file: string;
  section: string;
  /** The action made the file: it may tidy it and delete it once empty. */
  created: boolean;
  /** In a file of the user's: the exact text appended, removed again byte for byte. */
  appended?: string;
}

/**
 * Writes one section. In a file of the action's own (`owned`) the section is replaced; in a
 * user's file it is appended after everything that is there, and a section of that name already
 * there is an error for the caller to have checked (see hasSection).
 */
export function writeSection(path: string, name: string, values: Section, owned: boolean): WrittenSection {
  const existed = existsSync(path);
  if (owned || !existed) {
    const current = existed ? readFileSync(path, 'utf8') : '';
    writePrivate(path, replaceSection(current, name, values));
    return { file: path, section: name, created: !existed };
  }
  const current = readFileSync(path, 'utf8');
  if (sectionNames(current).includes(name)) throw new Error(`${path} already has a section [${name}]`);
  const appended = `${current === '' || current.endsWith('\n') ? '' : '\n'}\n${renderSection(name, values)}`;
  appendFileSync(path, appended);
  return { file: path, section: name, created: false, appended };
}

/** Takes out what writeSection put in; a file the action did not create is never deleted. */
export function removeWritten(written: WrittenSection): void {
  if (!existsSync(written.file)) return;
  const text = readFileSync(written.file, 'utf8');
  if (written.appended !== undefined) {
    const at = text.lastIndexOf(written.appended);
    if (at >= 0) writeFileSync(written.file, text.slice(0, at) + text.slice(at + written.appended.length));
    return;
  }
  if (!sectionNames(text).includes(written.section)) return;
  const remaining = replaceSection(text, written.section, undefined);
  if (remaining === '' && written.created) rmSync(written.file);
  else writePrivate(written.file, remaining);
}
