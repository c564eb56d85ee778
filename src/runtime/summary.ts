/**
 * Job summary builder. Everything that came from a user or from AWS goes
 * through escapeMarkdown, so a pipeline name like `a|b` or `<script>` cannot
 * break the table or inject HTML into the run page.
 */
import * as core from '@actions/core';

// GitHub rejects a step summary over 1 MiB; stay clear of it with room for the notice.
const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 4096;

export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

export type Cell = string | { code: string } | { link: string; href: string };

function renderCell(cell: Cell): string {
  if (typeof cell === 'string') return escapeMarkdown(cell);
  if ('code' in cell)
    return `<code>${escapeMarkdown(cell.code)
      .replace(/\\([`|])/g, '$1')
      .replace(/\|/g, '&#124;')}</code>`;
  return `[${escapeMarkdown(cell.link)}](${encodeURI(cell.href)})`;
}

export class SummaryBuilder {
  private readonly parts: string[] = [];

  heading(text: string, level: 2 | 3 | 4 = 3): this {
    this.parts.push(`${'#'.repeat(level)} ${escapeMarkdown(text)}`);
    return this;
  }

  paragraph(text: string): this {
    this.parts.push(escapeMarkdown(text));
    return this;
  }

  /** A two-column table of labelled values; undefined values are left out. */
  keyValues(rows: [string, Cell | undefined][]): this {
    return this.table(
      ['', ''],
      rows
        .filter((row): row is [string, Cell] => row[1] !== undefined)
        .map(([key, value]) => [`**${escapeMarkdown(key)}**`, value]),
      { rawFirstColumn: true },
    );
  }

  table(header: string[], rows: Cell[][], options: { rawFirstColumn?: boolean } = {}): this {
    if (rows.length === 0) return this;
    const lines = [`| ${header.map(escapeMarkdown).join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
    for (const row of rows) {
      const cells = row.map((cell, i) =>
        i === 0 && options.rawFirstColumn && typeof cell === 'string' ? cell : renderCell(cell),
      );
      lines.push(`| ${cells.join(' | ')} |`);
    }
    this.parts.push(lines.join('\n'));
    return this;
  }

  codeBlock(text: string): this {
    const fence = text.includes('```') ? '~~~~' : '```';
    this.parts.push(`${fence}\n${text}\n${fence}`);
    return this;
  }

  toString(): string {
    const markdown = this.parts.join('\n\n') + '\n';
    if (Buffer.byteLength(markdown) <= SUMMARY_LIMIT_BYTES) return markdown;
    const cut = Buffer.from(markdown)
      .subarray(0, SUMMARY_LIMIT_BYTES)
      .toString()
      .replace(/\uFFFD$/, '');
    return `${cut}\n\n_Summary truncated: GitHub keeps at most 1 MiB per step._\n`;
  }

  /** Appends to the step summary; a runner without a summary file (local runs) is not an error. */
  async write(): Promise<void> {
    if (!process.env['GITHUB_STEP_SUMMARY']) return;
    await core.summary.addRaw(this.toString()).write();
  }
}
