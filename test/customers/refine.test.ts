/** refinement() reports what zod's superRefine reports, issue for issue, and lets the schema's other checks run. */
import { z } from 'zod';
import { refinement, type RefineContext } from '../../customers/refine';

const check = (v: { min: number; max: number; tags: string[] }, ctx: RefineContext | z.RefinementCtx) => {
  if (v.max < v.min) ctx.addIssue({ code: 'custom', path: ['max'], message: 'max below min' });
  if (new Set(v.tags).size !== v.tags.length) ctx.addIssue({ code: 'custom', message: 'tags repeat' });
};
const base = () => z.strictObject({ min: z.number(), max: z.number(), tags: z.array(z.string()) });

const inputs = [
  { min: 1, max: 2, tags: ['a'] },
  { min: 3, max: 2, tags: ['a', 'a'] },
  { min: 3, max: 2, tags: [] },
  { min: 'x', max: 2, tags: [] },
  { min: 1, max: 2, tags: ['a'], extra: true },
];

test.each(inputs)('the same issues as superRefine for %j', (input) => {
  const ours = base().check(refinement(check)).safeParse(input);
  const theirs = base().superRefine(check).safeParse(input);
  expect(ours.success).toBe(theirs.success);
  expect(ours.error?.issues).toEqual(theirs.error?.issues);
});

test.each(inputs)('the same issues and paths as superRefine for %j inside a list inside an object', (input) => {
  const nest = (s: z.ZodType) => z.object({ outer: z.array(s) });
  const ours = nest(base().check(refinement(check))).safeParse({ outer: [input] });
  const theirs = nest(base().superRefine(check)).safeParse({ outer: [input] });
  expect(ours.error?.issues).toEqual(theirs.error?.issues);
});

test('a later check still runs after a refinement reported an issue', () => {
  const schema = base()
    .check(refinement(check))
    .refine((v) => v.tags.length > 0, { message: 'no tags' });
  expect(schema.safeParse({ min: 3, max: 2, tags: [] }).error?.issues.map((i) => i.message)).toEqual(['max below min', 'no tags']);
});
