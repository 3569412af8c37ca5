import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface SandboxCertificates {
  /** The local CA; trust it with NODE_EXTRA_CA_CERTS=<caFile>. */
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const dayMs = 24 * 60 * 60 * 1000;

function newKeyPair(): {
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  privatePem: string;
} {
  // Node's native RSA generation; forge's own is pure JS and takes seconds.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    privatePem: privateKey,
  };
}

function serial(): string {
  // Positive, 16 bytes, as CAs issue them.
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}

/** A new certificate authority, valid for ten years. */
export function createCa(commonName = 'Shepherd sandbox local CA'): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - dayMs);
  cert.validity.notAfter = new Date(Date.now() + 3650 * dayMs);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** A server certificate the CA signs, for a year, naming the host names and IP addresses given. */
export function createServerCertificate(
  caCertPem: string,
  caKeyPem: string,
  names: { dns: string[]; ips: string[] } = { dns: ['localhost'], ips: ['127.0.0.1', '::1'] },
): { certPem: string; keyPem: string } {
  const ca = forge.pki.certificateFromPem(caCertPem);
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - dayMs);
  cert.validity.notAfter = new Date(Date.now() + 365 * dayMs);
  cert.setSubject([{ name: 'commonName', value: names.dns[0] ?? names.ips[0] ?? 'localhost' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...names.dns.map((value) => ({ type: 2, value })),
        ...names.ips.map((ip) => ({ type: 7, ip })),
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(caKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** True when the certificate is missing or expires within 30 days. */
function needsRenewal(certFile: string): boolean {
  if (!existsSync(certFile)) return true;
  const validTo = Date.parse(new X509Certificate(readFileSync(certFile)).validTo);
  return validTo - Date.now() < 30 * dayMs;
}

/**
 * The sandbox's TLS material, kept in `dir`: a local CA made on first start, and a certificate for
 * localhost that it signs (renewed when it nears expiry). Clients trust the CA file, so TLS
 * verification stays on everywhere.
 */
export function ensureCertificates(dir: string): SandboxCertificates {
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, 'ca.pem');
  const caKeyFile = join(dir, 'ca-key.pem');
  const certFile = join(dir, 'localhost.pem');
  const keyFile = join(dir, 'localhost-key.pem');
  const newCa = needsRenewal(caFile) || !existsSync(caKeyFile);
  if (newCa) {
    const ca = createCa();
    writeFileSync(caKeyFile, ca.keyPem, { mode: 0o600 });
    writeFileSync(caFile, ca.certPem);
  }
  const caPem = readFileSync(caFile, 'utf8');
  if (newCa || needsRenewal(certFile) || !existsSync(keyFile)) {
    const server = createServerCertificate(caPem, readFileSync(caKeyFile, 'utf8'));
    writeFileSync(keyFile, server.keyPem, { mode: 0o600 });
    writeFileSync(certFile, server.certPem);
  }
  return { caFile, caPem, certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}
