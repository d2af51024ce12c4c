/**
 * @module providers/webpush/ca-file
 * The `ca=` file of a Web Push URL: extra CA certificates to trust for a private push service. Read
 * once, when the provider starts, so a wrong path fails the start loudly rather than every push.
 */
import { readFileSync } from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new Error(`Web Push ca file ${path} cannot be read (${typeof code === 'string' ? code : 'error'})`);
  }
  if (!PEM_CERTIFICATE.test(pem)) throw new Error(`Web Push ca file ${path} holds no PEM certificate`);
  return pem;
}
