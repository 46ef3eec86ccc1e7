/**
 * The import's JSON sources in plain words: syntax errors say what was expected where (not
 * jsonc-parser's code names), and `gh api --paginate` output, which is one JSON array per page
 * written back to back (`[...][...]`, cli/cli#5347), reads as the one array it stands for.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';
import { parseJson, type ValidationIssue } from '../../../customers/json-issues';

const SYNTAX: Readonly<Record<string, string>> = {
  InvalidSymbol: 'a character that cannot start a JSON value was found',
  InvalidNumberFormat: 'a number is malformed',
  PropertyNameExpected: 'a quoted field name was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'the text should end after the first value',
  InvalidCommentToken: 'a comment was found (JSON has none)',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed (the file may be cut short)',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'a \\u escape is malformed',
  InvalidEscapeCharacter: 'a backslash escape is malformed',
  InvalidCharacter: 'a control character stands inside a string',
};

/** "CommaExpected at line 5, column 2" -> "a comma was expected at line 5, column 2". */
export function readableIssue(issue: ValidationIssue): ValidationIssue {
  if (issue.expected !== 'valid JSON') return issue;
  const m = /^(\w+)( at line .*)$/.exec(issue.got);
  return m && SYNTAX[m[1]] ? { ...issue, got: `${SYNTAX[m[1]]}${m[2]}` } : issue;
}

/** One line per issue, for a source file (the file is named by the caller). */
export function issueText(issue: ValidationIssue): string {
  const i = readableIssue(issue);
  const fix = i.hint ? `; ${i.hint}` : '';
  return i.expected === 'valid JSON' ? `is not valid JSON: ${i.got}${fix}` : `expected ${i.expected}, got ${i.got}${fix}`;
}

/** Where each top-level array starts and ends, when the text is nothing but arrays one after another. */
function topLevelArrays(text: string): { start: number; end: number }[] | undefined {
  const scanner = createScanner(text, false);
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    if (depth === 0) {
      if (kind !== SyntaxKind.OpenBracketToken) return undefined;
      start = scanner.getTokenOffset();
    }
    if (kind === SyntaxKind.OpenBracketToken || kind === SyntaxKind.OpenBraceToken) depth++;
    else if (kind === SyntaxKind.CloseBracketToken || kind === SyntaxKind.CloseBraceToken) {
      depth--;
      if (depth === 0) out.push({ start, end: scanner.getTokenOffset() + scanner.getTokenLength() });
    }
  }
  return depth === 0 ? out : undefined;
}

/**
 * An array of items from one array, pages written back to back (`--paginate`), or an array of
 * pages (`--paginate --slurp`). Anything else is returned as parsed, for the caller to refuse.
 */
export function parsePagedArray(file: string, text: string): { raw?: unknown; issues: ValidationIssue[] } {
  const whole = parseJson(file, text);
  if (whole.raw !== undefined) {
    const raw = whole.raw;
    const slurped = Array.isArray(raw) && raw.length > 0 && raw.every((page) => Array.isArray(page));
    return slurped ? { raw: (raw as unknown[][]).flat(), issues: [] } : whole;
  }
  const pages = topLevelArrays(text);
  if (pages === undefined || pages.length < 2) return whole;
  const items: unknown[] = [];
  for (const page of pages) {
    // Everything outside the page blanked, newlines kept: a syntax error keeps its line and column.
    const alone = text.slice(0, page.start).replace(/[^\n]/g, ' ') + text.slice(page.start, page.end) + text.slice(page.end).replace(/[^\n]/g, ' ');
    const parsed = parseJson(file, alone);
    if (parsed.raw === undefined) return parsed;
    items.push(...(parsed.raw as unknown[]));
  }
  return { raw: items, issues: [] };
}
