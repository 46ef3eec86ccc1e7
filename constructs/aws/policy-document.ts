/**
 * IAM policy documents built in code rather than with the aws_iam_policy_document data source:
 * the statements stay visible to the policy rules at synth time, and planning needs no extra
 * provider round-trip.
 */

export type Condition = Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Condition;
}

export interface TrustStatement {
  readonly principals: Readonly<Record<'AWS' | 'Service', readonly string[]>> | Readonly<Partial<Record<'AWS' | 'Service', readonly string[]>>>;
  readonly conditions?: Condition;
}

/** A permissions policy as the JSON string IAM expects. Order is preserved for stable output. */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? 'Allow',
      Action: [...s.actions],
      Resource: [...s.resources],
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** A trust (assume-role) policy. */
export function trustPolicyJson(statements: readonly TrustStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Effect: 'Allow',
      Principal: s.principals,
      Action: 'sts:AssumeRole',
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** A resource policy that refuses every request not made over TLS (buckets, queues). */
export function denyInsecureTransportJson(action: string, resources: string | readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: action,
        Resource: resources,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

/** Shape of a parsed policy document, for the policy rules. */
export interface ParsedStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
}

export function parsePolicyStatements(policy: string): ParsedStatement[] | undefined {
  try {
    const doc = JSON.parse(policy) as { Statement?: ParsedStatement | ParsedStatement[] };
    if (doc.Statement === undefined) return [];
    return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  } catch {
    return undefined;
  }
}
