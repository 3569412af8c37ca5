import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCertificates } from './certificates';

/** Where the sandbox keeps its CA and certificate for this checkout. */
export const sandboxCertificateDir = join(__dirname, '..', '..', '..', '.local', 'sandbox', 'certs');

/**
 * Writes the file to hand Node as NODE_EXTRA_CA_CERTS: the sandbox CA, plus whatever bundle the
 * environment already named there, so trusting the sandbox drops nothing else.
 */
export function writeTrustBundle(existing: string | undefined): string {
  const { caFile, caPem } = ensureCertificates(sandboxCertificateDir);
  const bundle = join(sandboxCertificateDir, 'trust.pem');
  const others =
    existing && existing !== bundle && existsSync(existing) ? readFileSync(existing, 'utf8') : '';
  writeFileSync(bundle, `${caPem.trim()}\n${others}`);
  return others === '' ? caFile : bundle;
}

// Run before anything that calls the sandbox: Node reads NODE_EXTRA_CA_CERTS only when it starts.
if (require.main === module) {
  process.stdout.write(`${writeTrustBundle(process.env.NODE_EXTRA_CA_CERTS)}\n`);
}
