import { Construct } from 'constructs';
import { Fn, TerraformOutput, Token } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';

export interface ManagedCertificateProps {
  readonly domain: string;
  /** Zone to write the DNS validation record into. Default: none; the record is a stack output for the customer's DNS team. */
  readonly hostedZoneId?: string;
  /**
   * Without a hosted zone: the customer's DNS team has created the validation record from the
   * output, so the stack may wait for issuance and attach the certificate. Default: false (the
   * certificate is requested, nothing uses it yet). Ignored with a hosted zone.
   */
  readonly validationRecordCreated?: boolean;
}

/**
 * A DNS-validated ACM certificate for the collector domain. A listener may only use an issued
 * certificate, so `arn` is always the output of an aws_acm_certificate_validation, which waits for
 * issuance:
 * - with a hosted zone, the stack writes the validation record and waits, in one apply;
 * - without one, in two phases: the first apply requests the certificate and outputs the record
 *   to create (and `arn` is undefined: nothing may use the certificate yet); once the record
 *   exists the customer file says `validationRecordCreated: true` and the next apply waits for
 *   issuance and attaches it.
 * ACM renews DNS-validated certificates on its own while the record stays in place.
 */
export class ManagedCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  /** ARN to attach to listeners, once issued; undefined in the first phase without a hosted zone. */
  public readonly arn?: string;

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
      if (props.validationRecordCreated) {
        // No record FQDNs: the resource only waits until ACM reports the certificate issued.
        this.arn = new AcmCertificateValidation(this, 'validation', { certificateArn: this.certificate.arn }).certificateArn;
      } else {
        new TerraformOutput(this, 'certificate-next-step', {
          description: 'What the operator does before the collector serves HTTPS',
          value: `Create the DNS record in dns-validation-record for ${props.domain}, then set collector.ssl.validationRecordCreated to true in the customer file and deploy again; until then the collector load balancer answers 503 on :80 and has no :443 listener`,
        });
      }
    }
  }
}
