/**
 * Rewrites version pins in a customer file's text. Only the version strings change: the edit
 * replaces the value's characters and nothing else, so a pin pull request shows one line per
 * component and the file keeps its formatting, key order and spacing.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type ParseError } from 'jsonc-parser';
import type { ComponentId } from '../../customers/schema';

export interface PinEdit {
  readonly component: ComponentId;
  readonly from: string;
  readonly to: string;
}

export interface PinProblem {
  readonly file: string;
  /** Dotted field path, e.g. components.enrich.version. */
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  readonly hint: string;
}

const RE_PLAN = 're-plan (`fleet upgrades plan --json --out plan/upgrade-plan.json`) and apply the new plan';

/**
 * Checks that every pin still reads `from` and returns the text with each set to `to`; or every
 * pin that does not match, and no text. All edits are checked before any is made.
 */
export function rewritePins(file: string, text: string, edits: readonly PinEdit[]): { text: string } | { problems: PinProblem[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!tree || errors.length > 0) {
    return { problems: [{ file, path: '', expected: 'valid JSON', got: 'a file that does not parse', hint: 'run `fleet validate` and fix the file first' }] };
  }
  const problems: PinProblem[] = [];
  for (const e of edits) {
    const path = `components.${e.component}.version`;
    const node = findNodeAtLocation(tree, ['components', e.component, 'version']);
    const current: unknown = node?.value;
    if (current === e.from) continue;
    problems.push({
      file,
      path,
      expected: JSON.stringify(e.from),
      got: node === undefined ? 'nothing (the component or its version is missing)' : JSON.stringify(current),
      hint:
        current === e.to
          ? `the pin already reads the plan's target ${e.to}: the wave was applied without being recorded, or by hand; ${RE_PLAN}`
          : `the file changed since the plan was made; ${RE_PLAN}`,
    });
  }
  if (problems.length > 0) return { problems };
  let out = text;
  for (const e of edits) {
    // modify() on an existing value replaces exactly the value's characters; formatting options
    // only matter for inserted properties, which never happens here (the pin exists).
    out = applyEdits(out, modify(out, ['components', e.component, 'version'], e.to, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  return { text: out };
}
