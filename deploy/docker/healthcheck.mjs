/**
 * Container health check: exit 0 when this container's Tidings answers GET /healthz with 200.
 * Slim images have no curl or wget, so Node asks. Every role (api, worker, all) serves /healthz.
 * The port follows TIDINGS_PORT or PORT like the server does; the timeout keeps a hung process
 * from holding the check open past Docker's own --timeout.
 */
import { get } from 'node:http';
import process from 'node:process';

const port = Number(process.env.TIDINGS_PORT || process.env.PORT || 3000);
const timeoutMs = Number(process.env.TIDINGS_HEALTHCHECK_TIMEOUT_MS || 3000);

const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: timeoutMs }, (res) => {
  res.resume();
  process.exitCode = res.statusCode === 200 ? 0 : 1;
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', () => {
  process.exitCode = 1;
});
