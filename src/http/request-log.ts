/**
 * @module http/request-log
 * One line per request with the route pattern (`/v1/messages/:id`), never the raw URL, whose
 * path and query can hold phone numbers. Successes log at debug: at thousands of requests a
 * second, a line each would cost more than the request; refusals log at info, failures at error.
 */
import type { FastifyInstance } from 'fastify';

export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', (req, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'info' : 'debug';
    req.log[level](
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unknown',
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });
}
