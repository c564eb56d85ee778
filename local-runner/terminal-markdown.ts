/** Renders job summaries (GitHub-flavoured markdown) readably in a terminal. */
const UNESCAPE = /\\([\\`*_{}[\]()#+!|~])/g;

function plain(text: string): string {
  return text
    .replace(/<br>/g, ' / ')
    .replace(/<\/?code>/g, '')
    .replace(/\*\*(.*?)\*\*/g, '$1')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 <$2>')
    .replace(UNESCAPE, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#124;/g, '|')
    .replace(/&amp;/g, '&');
}

function splitRow(line: string): string[] {
  return line
    .replace(/^\|\s?/, '')
    .replace(/\s?\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => plain(cell.trim()));
}

function renderTable(lines: string[]): string[] {
  const rows = lines.filter((line) => !/^\|(\s*-+\s*\|)+$/.test(line)).map(splitRow);
  const hasHeader = rows[0]?.some((cell) => cell !== '') ?? false;
  const body = hasHeader ? rows : rows.slice(1);
  const widths = body[0]?.map((_, column) => Math.max(...body.map((row) => (row[column] ?? '').length))) ?? [];
  return body.map(
    (row) =>
      '  ' +
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
  );
}

export function renderMarkdown(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('|')) {
      const table: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('|')) table.push(lines[i++]!);
      i--;
      out.push(...renderTable(table));
    } else if (/^#{1,6} /.test(line)) {
      out.push(plain(line.replace(/^#+ /, '')).toUpperCase());
    } else {
      out.push(plain(line));
    }
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
