/** `npm run bench`: prints the speed and memory figures; it asserts nothing. */
import { benchPlan } from './plan';
import { benchStage } from './stage';
import { benchSynth } from './synth';
import { benchValidate } from './validate';

async function main(): Promise<void> {
  for (const line of benchSynth()) console.log(line);
  console.log('');
  for (const line of await benchPlan()) console.log(line);
  console.log('');
  for (const line of benchStage()) console.log(line);
  console.log('');
  for (const line of benchValidate()) console.log(line);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exitCode = 1;
});
