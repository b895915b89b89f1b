/**
 * The baseline of `bench:pages`: Fastify with nothing else, answering each path with the bytes
 * Shomei sent for it, from memory. Started by pages.bench.ts with a JSON file { path: body }.
 */
import fs from 'node:fs';
import Fastify from 'fastify';

const pages = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as Record<string, string>;
const app = Fastify({ logger: false });
for (const [path, body] of Object.entries(pages)) {
  const bytes = Buffer.from(body);
  app.get(path, (_request, reply) => reply.type('text/html; charset=utf-8').send(bytes));
}
app.get('/readyz', (_request, reply) => reply.send('ok'));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
