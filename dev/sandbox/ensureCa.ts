import { join } from 'node:path';
import { ensureCertificates } from './certificates';

/** Where the sandbox keeps its CA and certificate for this checkout. */
export const sandboxCertificateDir = join(__dirname, '..', '..', '..', '.local', 'sandbox', 'certs');

// Run before anything that calls the sandbox: Node reads NODE_EXTRA_CA_CERTS only when it starts.
if (require.main === module) {
  process.stdout.write(`${ensureCertificates(sandboxCertificateDir).caFile}\n`);
}
