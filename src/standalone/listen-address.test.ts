import { describe, expect, it } from 'vitest';
import { parseListenAddress } from './listen-address.ts';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:8443', { host: '127.0.0.1', port: 8443 }],
    [':8443', { host: '0.0.0.0', port: 8443 }],
    ['8443', { host: '127.0.0.1', port: 8443 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    ['localhost:9000', { host: 'localhost', port: 9000 }],
  ])('%s → %o', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  it.each(['', 'host:', 'host:99999', 'a:b:c', 'http://x:1'])('%j → ConfigInvalid', (text) => {
    expect(() => parseListenAddress(text)).toThrow(/--listen/);
  });
});
