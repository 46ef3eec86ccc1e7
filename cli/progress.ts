/**
 * Progress bars (cli-progress) for long runs, only on a person's terminal: in CI (CI set), pipes,
 * redirected output and tests there is nothing, so logs stay machine-readable.
 */
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** One more item done; `item` is shown beside the bar. */
  tick(item?: string): void;
  stop(): void;
}

const NONE: Progress = { tick: () => {}, stop: () => {} };

export const noProgress = (): Progress => NONE;

function inCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** A bar factory for this stream, or one that draws nothing when it is not an interactive terminal. */
export function progressFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): (label: string, total: number) => Progress {
  if (!stream.isTTY || inCi(env)) return noProgress;
  return (label, total) => {
    if (total <= 1) return NONE;
    const bar = new SingleBar(
      { stream, format: `${label} [{bar}] {value}/{total} {item}`, clearOnComplete: true, hideCursor: true, barsize: 30, noTTYOutput: false },
      Presets.shades_classic,
    );
    bar.start(total, 0, { item: '' });
    return {
      tick: (item) => bar.increment(1, { item: item ?? '' }),
      stop: () => bar.stop(),
    };
  };
}
