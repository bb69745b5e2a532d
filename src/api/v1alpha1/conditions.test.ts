import { describe, expect, it } from 'vitest';
import { REASON_CONDITIONS } from '../../reasons/index.ts';
import { ConditionTypes } from './conditions.ts';

describe('ConditionTypes', () => {
  it('are exactly the conditions the reason registry writes to (plus its none)', () => {
    expect([...REASON_CONDITIONS].filter((c) => c !== 'none').sort()).toEqual(
      Object.values(ConditionTypes).sort(),
    );
  });
});
