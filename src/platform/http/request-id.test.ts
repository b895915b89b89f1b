import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIdGenerator } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const withId = (id: string | undefined) =>
  ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as IncomingMessage;

describe('#13 request ids', () => {
  it('#13 a fresh random id for each request when no proxy is trusted, whatever the client sends', () => {
    const generate = requestIdGenerator(false);
    const first = generate(withId('chosen-by-the-client'));
    expect(first).toMatch(UUID);
    expect(generate(withId(undefined))).not.toBe(first);
  });

  it('#13 behind a trusted proxy, its well-formed id is kept; anything else is replaced', () => {
    const generate = requestIdGenerator(true);
    expect(generate(withId('f3c1a2b4d5e6f708'))).toBe('f3c1a2b4d5e6f708');
    expect(generate(withId('nginx-1732871234.123-42'))).toBe('nginx-1732871234.123-42');
    for (const bad of ['short', 'x'.repeat(65), 'has space in it', 'line\nbreak-injected', '{"reqId":"x"}'])
      expect(generate(withId(bad))).toMatch(UUID);
  });
});
