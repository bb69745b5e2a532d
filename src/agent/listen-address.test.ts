import { describe, expect, it } from 'vitest';
import { parseListenAddress } from './listen-address.ts';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    [':9090', { host: '0.0.0.0', port: 9090 }],
    ['[::1]:80', { host: '::1', port: 80 }],
  ])('%s', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  it.each(['8080', 'host:', 'host:99999', '::1:80', 'a b:1'])('refuses %s', (text) => {
    expect(() => parseListenAddress(text)).toThrow(TypeError);
  });
});
