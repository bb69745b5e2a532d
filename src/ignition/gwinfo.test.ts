import { describe, expect, it } from 'vitest';
import { formatGwInfo, parseGwInfo } from './gwinfo.ts';

describe('gwinfo', () => {
  it('parses the semicolon-separated k=v body and ignores malformed pairs', () => {
    expect(parseGwInfo('ContextStatus=RUNNING;Version=8.3.6;junk;RedundancyStatus=Master;\n')).toEqual({
      ContextStatus: 'RUNNING',
      Version: '8.3.6',
      RedundancyStatus: 'Master',
    });
  });
  it('round-trips what the simulator formats', () => {
    const text = formatGwInfo([
      ['ContextStatus', 'STARTING'],
      ['PlatformName', 'gw-1'],
    ]);
    expect(text).toBe('ContextStatus=STARTING;PlatformName=gw-1;');
    expect(parseGwInfo(text)).toEqual({ ContextStatus: 'STARTING', PlatformName: 'gw-1' });
  });
});
