/**
 * @module bench/children/ceiling
 * The ceiling: a bare Fastify route that parses the same JSON request as `POST /v1/messages` and
 * answers 202, with nothing behind it. It runs in its own process, like Tidings, so both meet the
 * same load generator on the same cores and their ratio says what Tidings' own work costs.
 */
import fastify from 'fastify';
import type { ReadyMessage } from './protocol.js';

const app = fastify({ logger: false });
app.post('/v1/messages', async (_req, reply) => reply.code(202).send({ id: 'msg_ceiling', status: 'queued' }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });

const shutdown = (): void => void app.close().then(() => process.exit(0));
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.send?.({ type: 'ready', url } satisfies ReadyMessage);
