/**
 * Job summaries as GitHub shows them: GitHub-flavoured markdown (tables, links,
 * autolinks, task lists, strikethrough) with raw HTML allowed and then
 * sanitised with the allow-list GitHub uses (rehype-sanitize's default schema
 * follows it: no scripts, styles or event handlers; ids prefixed
 * `user-content-`). And what would not render on GitHub, found in the markdown
 * itself: a row whose cells do not match its table's header (an unescaped `|`
 * in a cell silently drops text), table rows that are not part of any table,
 * and HTML left open or closed without being opened.
 */
import type { Html, Root, RootContent, Table } from 'mdast';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

const toHtml = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize)
  .use(rehypeStringify)
  .freeze();

const toTree = unified().use(remarkParse).use(remarkGfm).freeze();

/** The summary's HTML, safe to put into a page as it is. */
export function renderSummaryHtml(markdown: string): string {
  return String(toHtml.processSync(markdown));
}

/** Elements that have no closing tag in HTML. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

type Node = Root | RootContent;

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

const lineOf = (node: Node): number => node.position?.start.line ?? 1;

function tableProblems(table: Table): string[] {
  const columns = table.align?.length ?? table.children[0]?.children.length ?? 0;
  return table.children.flatMap((row) =>
    row.children.length === columns
      ? []
      : [
          `line ${lineOf(row)}: a table row with ${row.children.length} cells under a header of ${columns}` +
            (row.children.length > columns
              ? ' (an unescaped | inside a cell? GitHub drops the extra cells)'
              : ' (GitHub fills the missing cells with nothing)'),
        ],
  );
}

/** Raw HTML, in the order written: every tag opened must be closed, and in order. */
function htmlProblems(nodes: Html[]): string[] {
  const problems: string[] = [];
  const open: { tag: string; line: number }[] = [];
  for (const node of nodes) {
    const text = node.value.replace(/<!--[\s\S]*?-->/g, '');
    for (const match of text.matchAll(/<(\/?)([a-zA-Z][\w-]*)\b[^>]*?(\/?)>/g)) {
      const [, closing, name, selfClosing] = match;
      const tag = name!.toLowerCase();
      if (VOID_ELEMENTS.has(tag) || selfClosing) continue;
      const line = lineOf(node) + text.slice(0, match.index).split('\n').length - 1;
      if (!closing) {
        open.push({ tag, line });
        continue;
      }
      const at = open.map((entry) => entry.tag).lastIndexOf(tag);
      if (at < 0) {
        problems.push(`line ${line}: </${tag}> closes nothing`);
        continue;
      }
      for (const unclosed of open.splice(at).slice(1)) {
        problems.push(`line ${unclosed.line}: <${unclosed.tag}> is not closed before </${tag}>`);
      }
    }
  }
  for (const unclosed of open) problems.push(`line ${unclosed.line}: <${unclosed.tag}> is never closed`);
  return problems;
}

/**
 * What in a summary would not render on GitHub as its author meant; empty when it renders cleanly.
 * Each problem names its line in the markdown.
 */
export function summaryProblems(markdown: string): string[] {
  const tree = toTree.runSync(toTree.parse(markdown)) as Root;
  const lines = markdown.split('\n');
  const problems: string[] = [];
  const html: Html[] = [];
  walk(tree, (node) => {
    if (node.type === 'table') problems.push(...tableProblems(node));
    if (node.type === 'html') html.push(node);
    if (node.type === 'paragraph' && node.position) {
      // A paragraph holding lines that start with | is a table that did not come out as one.
      for (let line = node.position.start.line; line <= node.position.end.line; line++) {
        if (/^\s*\|/.test(lines[line - 1] ?? '')) {
          problems.push(
            `line ${line}: a table row outside any table (no header and delimiter row above it, or a blank line inside the table)`,
          );
          break;
        }
      }
    }
  });
  problems.push(...htmlProblems(html));
  return problems.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
}
