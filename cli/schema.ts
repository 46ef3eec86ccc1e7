import { customerJsonSchema } from '../customers/json-schema';
import type { FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { forceOption } from './options';
import { writeOutput } from './output';

export const schemaCommand: FleetCommand = {
  define: (c) => c.option('--out <file>', 'where to write it, atomically (default: customers/customer.schema.json; - is stdout)').addOption(forceOption()),
  run(ctx) {
    writeOutput(ctx, customerJsonSchema(), (ctx.options.out as string | undefined) ?? 'customers/customer.schema.json', { intoInputs: true });
    return EXIT.ok;
  },
};
