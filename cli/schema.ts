import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { customerJsonSchema } from '../customers/json-schema';
import { parseOptions, type Command } from './command';

export const schemaCommand: Command = {
  name: 'schema',
  usage: 'schema [--out FILE]',
  summary: 'Write the customer file JSON Schema (default customers/customer.schema.json) from the zod schema.',
  run(ctx) {
    const { options } = parseOptions(ctx.args, { out: 'string' });
    const file = resolve(ctx.cwd, (options.out as string | undefined) ?? 'customers/customer.schema.json');
    writeFileSync(`${file}.tmp`, customerJsonSchema());
    renameSync(`${file}.tmp`, file);
    ctx.out(`wrote ${file}`);
    return 0;
  },
};
