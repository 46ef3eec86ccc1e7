/** A worker process of synthFleet: synthesizes the stacks it is sent and reports their manifest. */
import type { CustomerSpec } from '../customers/schema';
import { synthStacksInto } from './synth-fleet';

process.once('message', (msg: { specs: CustomerSpec[]; dir: string; now: string }) => {
  let reply: { ok: boolean; manifest?: unknown; maxRssKb?: number; error?: string };
  try {
    reply = { ok: true, manifest: synthStacksInto(msg.specs, msg.dir, new Date(msg.now), (stack) => process.send!({ synthesized: stack })), maxRssKb: process.resourceUsage().maxRSS };
  } catch (e) {
    reply = { ok: false, error: (e as Error).message };
    process.exitCode = 1;
  }
  // Disconnecting after the send lets the process end once the message is flushed.
  process.send!(reply, undefined, {}, () => process.disconnect());
});
