#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (npm ci builds it through the prepare script); compiled JavaScript
// starts in a fraction of the time ts-node needs.
require('../dist/cli/fleet.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
