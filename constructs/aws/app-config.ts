/**
 * The AWS side of the app layer: names Terraform and the boot scripts agree on. Images, config
 * shapes, arguments, license and health per version live in constructs/apps, once for both clouds.
 */

/** SSM parameter (a literal name, so a boot script may hold it) where Terraform writes the Iglu Server API URL. */
export function igluUrlParameter(namePrefix: string): string {
  return `/pipeline/${namePrefix}/iglu-url`;
}
