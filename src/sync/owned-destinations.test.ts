import { describe, expect, it } from 'vitest';
import { ownedDestinationsOf } from './owned-destinations.ts';

describe('ownedDestinationsOf', () => {
  it('flags file and dir mappings whose whole destination is gateway-owned', () => {
    const found = ownedDestinationsOf([
      { source: 'projects', destination: 'projects' },
      { source: 'gw/gateway.xml', destination: 'gateway.xml', type: 'file' },
      { source: 'local', destination: 'config/local/', type: 'dir' },
      { source: 'x', destination: 'config/resources/local/ignition' },
      { source: 'db', destination: 'db/tags.idb', type: 'file' },
    ]);
    expect(found.map((f) => [f.index, f.path])).toEqual([
      [1, 'spec.mappings[1].destination'],
      [2, 'spec.mappings[2].destination'],
      [3, 'spec.mappings[3].destination'],
      [4, 'spec.mappings[4].destination'],
    ]);
    expect(found[0]?.message).toBe(
      '"gateway.xml" is owned by the gateway and is never written: this mapping would sync nothing',
    );
  });

  it('accepts destinations that merely contain owned paths (the engine skips those inside)', () => {
    expect(
      ownedDestinationsOf([
        { source: '.', destination: '.' },
        { source: 'config', destination: 'config' },
        { source: 'services/site/config/resources/core', destination: 'config/resources/core' },
      ]),
    ).toEqual([]);
  });
});
