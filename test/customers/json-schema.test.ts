import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { customerJsonSchema } from '../../customers/json-schema';
import { CUSTOMERS_DIR } from '../support/specs';

test('the committed JSON Schema is the one generated from the zod schema (run `npx fleet schema` after a schema change)', () => {
  expect(readFileSync(join(CUSTOMERS_DIR, 'customer.schema.json'), 'utf8')).toBe(customerJsonSchema());
});

test('the JSON Schema describes both clouds and requires the fields a person must write', () => {
  const schema = JSON.parse(customerJsonSchema());
  const variants = schema.oneOf ?? schema.anyOf;
  expect(variants.map((v: any) => v.properties.cloud.const).sort()).toEqual(['aws', 'gcp']);
  const aws = variants.find((v: any) => v.properties.cloud.const === 'aws');
  expect(aws.required).toEqual(expect.arrayContaining(['id', 'environment', 'components', 'alerts', 'operators', 'stateBackend']));
  expect(aws.properties.rollout.required ?? []).not.toContain('ring');
});
