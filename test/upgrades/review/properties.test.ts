/**
 * The plan reader under generated hostile input (fast-check): it never throws, never reads an
 * unknown action as a known one, and every plan it accepts can be reviewed.
 */
import fc from 'fast-check';
import { isKnownActionList, KNOWN_ACTION_LISTS, parsePlanJson } from '../../../upgrades/review/plan-json';
import { failed, reviewPlan } from '../../../upgrades/review/review';
import { realPlan } from './plans';

const review = (plan: unknown) => {
  const r = parsePlanJson(plan);
  return r.ok ? reviewPlan(r.plan, { file: 'x.plan.json', stack: 'x', stackSource: 'file name' }) : r.problem;
};

describe('the plan reader', () => {
  test('any JSON value is read or refused with a reason, never a crash', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = parsePlanJson(value);
        expect(r.ok || (typeof r.problem === 'string' && r.problem.length > 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('a real plan with any action list: accepted only when terraform writes that list', () => {
    const base = realPlan('mixed');
    const action = fc.oneof(fc.constantFrom('no-op', 'create', 'read', 'update', 'delete', 'forget', 'destroy', 'replace', 'open', 'Update', ''), fc.string());
    fc.assert(
      fc.property(fc.nat(base.resource_changes.length - 1), fc.array(action, { maxLength: 3 }), (i, actions) => {
        const plan = structuredClone(base);
        plan.resource_changes[i].change.actions = actions;
        const r = parsePlanJson(plan);
        expect(r.ok).toBe(isKnownActionList(actions));
        if (r.ok) expect(typeof review(plan)).toBe('object');
      }),
      { numRuns: 500 },
    );
  });

  test('hostile field values in a real plan never crash the review, and an accepted one is judged', () => {
    const base = realPlan('update-only');
    const anything = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.object());
    fc.assert(
      fc.property(
        fc.constantFrom('before', 'after', 'after_unknown', 'replace_paths'),
        anything,
        fc.constantFrom('aws_kms_key', 'aws_db_instance', 'google_storage_bucket', 'aws_s3_bucket_lifecycle_configuration', 'google_sql_database_instance', 'terraform_data'),
        fc.constantFrom(...KNOWN_ACTION_LISTS),
        (field, value, type, actions) => {
          const plan = structuredClone(base);
          const rc = plan.resource_changes[0];
          rc.type = type;
          rc.change.actions = [...actions];
          if (value === undefined) delete rc.change[field];
          else rc.change[field] = value;
          const r = review(plan);
          if (typeof r !== 'string') expect(typeof failed(r)).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a plan marked "complete": false, or with deferred changes, never passes', () => {
    fc.assert(
      fc.property(fc.boolean(), (deferred) => {
        const plan = { ...realPlan('update-only'), ...(deferred ? { deferred_changes: [{}] } : { complete: false }) };
        const r = review(plan);
        expect(typeof r !== 'string' && failed(r)).toBe(true);
      }),
    );
  });
});
