import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import type { PolicyStatement } from './policy-document';

export interface LeaseTableProps {
  /** Table name; KCL apps are configured with it as their application name. */
  readonly name: string;
  /** Customer key the table is encrypted with; the workers get a grant to use it through DynamoDB only. */
  readonly kmsKeyArn: string;
  readonly region: string;
}

/**
 * The DynamoDB table a Kinesis Client Library consumer keeps its shard leases in. Encrypted with
 * the customer key, so every worker needs that key through DynamoDB as well as the table itself:
 * `workerStatements()` gives both. A worker renews its leases every few seconds, so the table's
 * write traffic is the consumer's heartbeat (`heartbeatMetric`), whatever the app's own metrics.
 */
export class LeaseTable extends Construct {
  public readonly table: DynamodbTable;
  public readonly name: string;
  private readonly props: LeaseTableProps;

  constructor(scope: Construct, id: string, props: LeaseTableProps) {
    super(scope, id);
    this.props = props;
    this.name = props.name;
    this.table = new DynamodbTable(this, 'table', {
      name: props.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'leaseKey',
      attribute: [{ name: 'leaseKey', type: 'S' }],
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      pointInTimeRecovery: { enabled: false },
    });
  }

  /** Table permissions a KCL worker needs. */
  public static readonly ACTIONS: readonly string[] = [
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Scan',
    'dynamodb:Query',
  ];

  /**
   * What DynamoDB asks of the caller's identity to read and write a table encrypted with a
   * customer key (it creates a grant and uses data keys on the caller's behalf), limited to calls
   * DynamoDB makes in this region.
   */
  public static readonly KMS_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:CreateGrant'];

  /** The statements a KCL worker of this table needs: the table, and its key through DynamoDB only. */
  public workerStatements(): PolicyStatement[] {
    return [
      { sid: 'KeepLeases', actions: [...LeaseTable.ACTIONS], resources: [this.table.arn] },
      {
        sid: 'UseLeaseTableKeyThroughDynamoDb',
        actions: [...LeaseTable.KMS_ACTIONS],
        resources: [this.props.kmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.props.region}.amazonaws.com` } },
      },
    ];
  }

  /** Write capacity the workers consume renewing leases: absent or zero for 5 minutes means no worker runs. */
  public get heartbeatMetric(): { namespace: string; metricName: string; dimensions: Record<string, string> } {
    return { namespace: 'AWS/DynamoDB', metricName: 'ConsumedWriteCapacityUnits', dimensions: { TableName: this.name } };
  }
}
