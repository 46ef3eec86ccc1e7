import { Construct } from 'constructs';
import { Fn, TerraformOutput, Token } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';

export interface ManagedCertificateProps {
  readonly domain: string;
  /** Zone to write the DNS validation record into. Default: none; the record is a stack output for the customer's DNS team. */
  readonly hostedZoneId?: string;
}

/**
 * A DNS-validated ACM certificate for the collector domain. With a hosted zone the stack writes
 * the validation record and waits for issuance; without one, the record to create is an output.
 * ACM renews DNS-validated certificates on its own while the record stays in place.
 */
export class ManagedCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  /** ARN to attach to listeners: the validated one when the stack validates it. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: ManagedCertificateProps) {
    super(scope, id);
    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: props.domain,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
    });
    // One domain, so exactly one validation option.
    const option = Fn.element(Fn.tolist(this.certificate.domainValidationOptions), 0);
    const recordName = Token.asString(Fn.lookup(option, 'resource_record_name', ''));
    const recordType = Token.asString(Fn.lookup(option, 'resource_record_type', ''));
    const recordValue = Token.asString(Fn.lookup(option, 'resource_record_value', ''));
    if (props.hostedZoneId) {
      const record = new Route53Record(this, 'validation-record', {
        zoneId: props.hostedZoneId,
        name: recordName,
        type: recordType,
        records: [recordValue],
        ttl: 300,
        allowOverwrite: true,
      });
      const validation = new AcmCertificateValidation(this, 'validation', {
        certificateArn: this.certificate.arn,
        validationRecordFqdns: [record.fqdn],
      });
      this.arn = validation.certificateArn;
    } else {
      new TerraformOutput(this, 'dns-validation-record', {
        description: `Create this DNS record so ACM can issue and renew the certificate for ${props.domain}`,
        value: { name: recordName, type: recordType, value: recordValue },
      });
      this.arn = this.certificate.arn;
    }
  }
}
