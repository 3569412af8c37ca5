import { createServer } from 'node:http';
import type { ImageFaults } from './imageFaults';

/**
 * The web app every sandbox slot runs: one process per slot, started with the image it is configured
 * with. `GET /` answers with the image and slot; `GET /health` is the health check. Faults of the
 * image (errors, latency, failing health, slow start, crash) apply to both.
 *
 * Started as `node sampleApp.js` with PORT, SLOT, IMAGE and FAULTS (JSON) in its environment.
 */
function main(): void {
  const port = Number(process.env.PORT);
  const slot = process.env.SLOT ?? 'production';
  const image = process.env.IMAGE ?? '';
  const faults = JSON.parse(process.env.FAULTS ?? '{}') as ImageFaults;
  const version = versionOf(image);
  let served = 0;

  const server = createServer((req, res) => {
    served += 1;
    if (faults.crashAfterRequests > 0 && served > faults.crashAfterRequests) process.exit(70);
    const respond = (): void => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/health') {
        res.writeHead(faults.unhealthy ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: faults.unhealthy ? 'unhealthy' : 'healthy', image }));
        return;
      }
      const failed = Math.random() < faults.errorRate;
      res.writeHead(failed ? 500 : 200, { 'content-type': 'application/json', 'x-sandbox-image': image });
      res.end(JSON.stringify(failed ? { error: 'injected fault', image } : { image, version, slot }));
    };
    if (faults.latencyMs > 0) setTimeout(respond, faults.latencyMs);
    else respond();
  });
  setTimeout(() => server.listen(port, '127.0.0.1'), faults.startDelayMs);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** The tag of `registry/repo:tag`, also when pinned as `registry/repo:tag@sha256:…`. */
function versionOf(image: string): string {
  const [name = '', digest = ''] = image.split('@');
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : digest;
}

main();
