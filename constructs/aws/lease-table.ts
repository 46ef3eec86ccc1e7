import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

export interface LeaseTableProps {
  /** Table name; KCL apps are configured with it as their application name. */
  readonly name: string;
  readonly kmsKeyArn: string;
}

/** The DynamoDB table a Kinesis Client Library consumer keeps its shard leases in. */
export class LeaseTable extends Construct {
  public readonly table: DynamodbTable;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: LeaseTableProps) {
    super(scope, id);
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

  /** Table permissions a KCL worker needs (it also creates its own metric tables' leases here). */
  public static readonly ACTIONS: readonly string[] = [
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Scan',
    'dynamodb:Query',
  ];
}
