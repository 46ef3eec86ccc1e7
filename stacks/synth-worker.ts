/** A worker process of synthFleet: synthesizes the stacks it is sent, one at a time, and reports their manifest. */
import type { FromWorker, ToWorker } from './synth-fleet';
import { StackWriter } from './stack-writer';

let writer: StackWriter | undefined;
let stopped = false;

function reply(msg: FromWorker): void {
  // Disconnecting after the send lets the process end once the message is flushed.
  process.send!(msg, undefined, {}, () => process.disconnect());
}

process.on('message', (msg: ToWorker) => {
  if (stopped) return;
  try {
    if ('start' in msg) writer = new StackWriter(msg.start.dir, new Date(msg.start.now));
    else if ('spec' in msg) process.send!({ synthesized: writer!.synth(msg.spec) } satisfies FromWorker);
    else {
      stopped = true;
      reply({ ok: true, manifest: writer!.finish(), maxRssKb: process.resourceUsage().maxRSS });
    }
  } catch (e) {
    stopped = true;
    process.exitCode = 1;
    reply({ ok: false, error: (e as Error).message });
  }
});
