/**
 * Every VM of every example customer boots: its script runs under bash with stubs, every
 * container gets a config directory whose files parse, and the config files its arguments name
 * exist. (test/boot checks each app's contract in depth; this checks the wiring of the stacks.)
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { PipelineStack } from '../../stacks/pipeline-stack';
import { VmService } from '../../constructs/aws/vm-service';
import { GcpVmService } from '../../constructs/gcp/vm-service';
import { unescapeTemplate } from '../../constructs/gcp/startup-script';
import { customerSchema } from '../../customers/schema';
import { runBoot } from './run-boot';

const ROOT = join(__dirname, '..', '..');
const NOW = new Date('2026-11-27T00:00:00Z');
const UUID = '0b3c4a1e-8a6f-4f1e-9a55-2a7d7c1d6e10';
const files = readdirSync(join(ROOT, 'customers')).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));

describe.each(files)('%s', (file) => {
  const spec = customerSchema.parse(require(join(ROOT, 'customers', file)));
  const stack = new PipelineStack(Testing.app(), { spec, now: NOW });
  const vms = stack.node.findAll().filter((n): n is VmService | GcpVmService => n instanceof VmService || n instanceof GcpVmService);

  test('every VM boots and each container finds the files its arguments name', () => {
    expect(vms.length).toBeGreaterThanOrEqual(3);
    for (const vm of vms) {
      const script = vm instanceof VmService ? vm.bootScript : unescapeTemplate(vm.startupScript.replace(/\$\{TfToken\[[^\]]+\]\}/g, '10.30.0.3'));
      const r = runBoot(script, { '*': UUID, [UUID]: '{"username":"iglu","password":"pw"}' });
      expect({ service: vm.launch.service, status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ service: vm.launch.service, status: 0, stderr: '' });
      const configDir = join(r.root, 'run', 'pipeline', vm.launch.service, 'config');
      for (const f of vm.launch.files) expect(() => JSON.parse(r.file(join('run', 'pipeline', vm.launch.service, 'config', f.path)))).not.toThrow();
      const runs = r.calls('docker').filter((c) => c[0] === 'run');
      expect(runs).toHaveLength(vm.launch.setup.length + vm.launch.containers.length);
      for (const run of runs) {
        for (const arg of run.filter((a) => a.startsWith('/snowplow/config/'))) {
          expect(existsSync(join(configDir, arg.slice('/snowplow/config/'.length)))).toBe(true);
        }
      }
    }
  });
});
