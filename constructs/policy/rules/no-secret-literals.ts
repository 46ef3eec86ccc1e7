import { TerraformElement } from 'cdktf';
import type { IConstruct } from 'constructs';
import { findSecrets } from '../../../customers/secret-detector';
import type { PolicyRule, SynthesizedElements } from '../rule';

/** Fields that hold base64 text: decoded and scanned as text rather than as a random string. */
const BASE64_FIELDS = new Set(['user_data', 'metadata_startup_script_b64']);

/** No synthesized element (resource, data source, output, provider) carries a secret literal. */
export const noSecretLiterals: PolicyRule = {
  id: 'FLEET-SEC1',
  description: 'No secret-looking literal anywhere in the synthesized configuration',
  check(node: IConstruct, synthesized: SynthesizedElements): string[] {
    if (!(node instanceof TerraformElement)) return [];
    const json = synthesized.json(node);
    // "//" holds cdktf's own metadata (construct paths and unique ids), not configuration.
    const findings = findSecrets(json, { skip: (key) => key === '//' || BASE64_FIELDS.has(key) });
    const decoded: string[] = [];
    const collect = (v: unknown, key?: string): void => {
      if (typeof v === 'string' && key !== undefined && BASE64_FIELDS.has(key)) decoded.push(Buffer.from(v, 'base64').toString('utf8'));
      else if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v)) collect(child, k);
    };
    collect(json);
    const inDecoded = decoded.flatMap((text) =>
      text.split('\n').flatMap((line) => findSecrets(line, { entropy: false }).map((f) => ({ ...f, path: 'user_data (decoded)' }))),
    );
    return [...findings, ...inDecoded].map((f) => `${f.path} looks like a secret (${f.reason}): keep the value in the secret manager and reference it by name`);
  },
};
