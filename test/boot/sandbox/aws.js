// The AWS CLI stub behind stubs/aws for every call its bash fast path does not answer.
// Stub AWS CLI: Secrets Manager, SSM parameters and the few describe calls a boot script makes,
// answered from the control directory, with --query (a JMESPath subset) and --output as the CLI does.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const LIB = '@LIB@';
const CTL = '@CTL@';
const callDir = execFileSync('bash', ['-c', `source '${LIB}/record.sh'; boot_record aws "$@"; printf '%s' "$CALL_DIR"`, 'aws', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
}).toString();
const FLAGS = new Set(['--debug', '--no-verify-ssl', '--no-paginate', '--no-sign-request', '--no-cli-pager', '--with-decryption', '--no-with-decryption', '--dry-run', '--no-dry-run']);
const argv = process.argv.slice(2);
const opts = {};
const positional = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a.startsWith('--')) {
    const eq = a.indexOf('=');
    if (eq > 0) opts[a.slice(2, eq)] = a.slice(eq + 1);
    else if (FLAGS.has(a)) opts[a.slice(2)] = true;
    else opts[a.slice(2)] = argv[++i];
  } else positional.push(a);
}
const [service, op] = positional;
const ctl = (f) => fs.readFileSync(path.join(CTL, f), 'utf8');
const region = opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || ctl('imds/meta-data/placement/region');
const account = ctl('aws-account');

function globToRegex(glob) {
  return new RegExp('^' + glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '$');
}
/** The test value of a secret id, or undefined when this run makes it unreadable. */
function secretValue(id) {
  const [mode, target] = ctl('mode').trim().split(/\s+/);
  if (mode === 'fail' && globToRegex(target).test(id)) return undefined;
  if (mode === 'empty' && globToRegex(target).test(id)) return '';
  for (const line of ctl('kinds').split('\n').filter(Boolean)) {
    const [glob, file] = line.split('\t');
    if (globToRegex(glob).test(id)) return ctl(`values/${file}`);
  }
  return undefined;
}
function fail(code, operation, message) {
  process.stderr.write(`\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`);
  process.exit(254);
}
function secret(id, operation) {
  const value = secretValue(id);
  if (value === undefined) fail(operation === 'GetParameter' ? 'ParameterNotFound' : 'ResourceNotFoundException', operation, operation === 'GetParameter' ? '' : "Secrets Manager can't find the specified secret.");
  fs.writeFileSync(path.join(callDir, 'secret-id'), id);
  fs.writeFileSync(path.join(callDir, 'secret-value'), value);
  return value;
}

function respond() {
  const key = `${service} ${op}`;
  switch (key) {
    case 'secretsmanager get-secret-value': {
      const id = opts['secret-id'];
      const arn = id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${region}:${account}:secret:${id}-AbCdEf`;
      return { ARN: arn, Name: id.startsWith('arn:') ? id.split(':secret:')[1] : id, VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', SecretString: secret(id, 'GetSecretValue'), VersionStages: ['AWSCURRENT'], CreatedDate: '2026-11-01T00:00:00+00:00' };
    }
    case 'ssm get-parameter': {
      const name = opts.name;
      const known = JSON.parse(ctl('ssm.json'))[name];
      if (known && !known.secure) return { Parameter: { Name: name, Type: 'String', Value: known.value, Version: 1 } };
      return { Parameter: { Name: name, Type: 'SecureString', Value: secret(name, 'GetParameter'), Version: 1, ARN: `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}` } };
    }
    case 'rds describe-db-instances': {
      const id = opts['db-instance-identifier'] || 'db';
      return { DBInstances: [{ DBInstanceIdentifier: id, Engine: 'postgres', DBInstanceStatus: 'available', Endpoint: { Address: `${id}.c0ffee123456.${region}.rds.amazonaws.com`, Port: 5432 }, MasterUsername: 'iglu', MasterUserSecret: { SecretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-0f0e0d0c-1a2b-3c4d-5e6f-7a8b9c0d1e2f-AbCdEf`, SecretStatus: 'active', KmsKeyId: `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab` } }] };
    }
    case 'sts get-caller-identity':
      return { UserId: 'AROAEXAMPLE:i-0123456789abcdef0', Account: account, Arn: `arn:aws:sts::${account}:assumed-role/vm/i-0123456789abcdef0` };
    case 'ecr get-login-password':
      return 'eyJwYXlsb2FkIjoidGVzdCJ9';
    default:
      return undefined;
  }
}

/** A JMESPath subset: a.b, a[0], a[*] and a trailing [x, y] multiselect. */
function query(data, expr) {
  const path = (d, s) => {
    let v = d;
    for (const seg of s.trim().split('.').filter(Boolean)) {
      const m = /^(\w*)((?:\[(?:\d+|\*)\])*)$/.exec(seg);
      if (!m) return undefined;
      if (m[1]) v = v?.[m[1]];
      for (const [, i] of m[2].matchAll(/\[(\d+|\*)\]/g)) if (i !== '*') v = v?.[Number(i)];
    }
    return v;
  };
  const ms = /^(.*?)\.?\[([^\]\d*][^\]]*)\]$/.exec(expr.trim());
  if (ms) {
    const base = ms[1] ? path(data, ms[1]) : data;
    return ms[2].split(',').map((p) => path(base, p));
  }
  return path(data, expr);
}
function text(v) {
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : text(x))).join('\t');
  if (typeof v === 'object') return Object.values(v).map(text).join('\t');
  return String(v);
}

let data = respond();
if (data === undefined) {
  fs.writeFileSync(path.join(callDir, 'unknown'), `${service} ${op}`);
  process.stdout.write('{}\n');
  process.exit(0);
}
if (typeof data === 'string') { process.stdout.write(data + '\n'); process.exit(0); }
if (opts.query) data = query(data, opts.query.replace(/^'(.*)'$/, '$1'));
const output = opts.output || 'json';
process.stdout.write((output === 'text' ? text(data) : JSON.stringify(data, null, 4)) + '\n');
