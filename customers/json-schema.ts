import { z } from 'zod';
import { customerSchema } from './schema';

/**
 * The JSON Schema editors use to complete and check customer files, generated from the zod
 * schema so the two cannot drift (a test compares it with the committed file).
 */
export function customerJsonSchema(): string {
  const schema = z.toJSONSchema(customerSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, title: 'Managed pipeline customer environment' }, null, 2)}\n`;
}
