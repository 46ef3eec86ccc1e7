/**
 * cdktf records a full JavaScript stack trace for every token it creates (a debugging aid shown
 * only when resolving a token fails). Synthesizing a pipeline creates thousands of tokens, and
 * those traces are about a quarter of synth time. Fleet synth turns them off; a failing token
 * still reports its error, just without the creation trace. cdktf 0.21 is the final release, so
 * this internal module no longer moves; if it ever does, nothing is patched and synth stays correct.
 */
export function disableTokenStackTraces(): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };
    if (typeof traces.captureStackTrace === 'function') traces.captureStackTrace = () => [];
  } catch {
    // Module layout changed: keep cdktf's behaviour.
  }
}
