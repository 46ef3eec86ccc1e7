#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (npm ci builds it through the prepare script); compiled JavaScript
// starts in a fraction of the time ts-node needs. Exit codes: 0 ok, 1 bad input or usage,
// 2 a safety gate said no (cli/exit-codes.ts).
require('../dist/cli/fleet.js')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      // Not the user's input: a bug. Say so plainly; the stack only on request.
      process.stderr.write(`fleet: unexpected error: ${e && e.message ? e.message : e}\n`);
      if (process.env.FLEET_DEBUG) process.stderr.write(`${e && e.stack}\n`);
      else process.stderr.write('(this is a bug in fleet; run again with FLEET_DEBUG=1 for the stack trace and report it)\n');
      process.exitCode = 1;
    },
  );
