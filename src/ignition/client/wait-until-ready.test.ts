import { describe, expect, it } from 'vitest';
import { parseGwInfo } from '../gwinfo.ts';
import { assessReadiness } from './wait-until-ready.ts';

describe('assessReadiness', () => {
  const running = parseGwInfo('ContextStatus=RUNNING;PlatformName=gw;Version=8.3.6;');
  it.each([
    [{ state: 'RUNNING' }, running, 'ready'],
    [{ state: 'RUNNING' }, undefined, 'ready'],
    [{ state: 'STARTING' }, undefined, 'starting'],
    [{ state: 'RUNNING', details: 'COMMISSIONING' }, undefined, 'commissioning'],
    [{ state: 'RUNNING' }, parseGwInfo('ContextStatus=NEEDS_COMMISSIONING;'), 'commissioning'],
    [{ state: 'RUNNING' }, parseGwInfo('ContextStatus=STARTING;'), 'starting'],
  ] as const)('%j + %j → %s', (ping, gwinfo, expected) => {
    expect(assessReadiness(ping, gwinfo)).toBe(expected);
  });
});
