/**
 * Preloaded into a CLI run by the bench (`node -r dist/bench/cpu-on-exit.js ...`): prints the
 * process's own CPU time at exit, because on a shared machine wall time includes other work.
 */
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`bench-cpu-ms ${Math.round((u.user + u.system) / 1000)}\n`);
});
