/** `npm run bench`: prints the speed and memory figures; it asserts nothing. */
import { benchSynth } from './synth';

async function main(): Promise<void> {
  for (const line of benchSynth()) console.log(line);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exitCode = 1;
});
