import { describe, expect, it } from 'vitest';
import { parseKubernetesVersion, releasedAfterMarch2022 } from '../../../shared/domain/kubernetesVersion.js';

describe('parseKubernetesVersion', () => {
  it.each([
    ['1.30.4', { major: 1, minor: 30, patch: 4 }],
    ['v1.30.4', { major: 1, minor: 30, patch: 4 }],
    ['  1.21.11 ', { major: 1, minor: 21, patch: 11 }],
    ['1.29', { major: 1, minor: 29, patch: 0 }],
    ['1.30.4-hotfix.20240101', { major: 1, minor: 30, patch: 4 }],
    ['12.345.678', { major: 12, minor: 345, patch: 678 }],
  ])('reads %j', (text, version) => {
    expect(parseKubernetesVersion(text)).toEqual(version);
  });

  it.each([['latest'], ['1'], ['x1.30.4'], [''], [undefined]])('gives no version for %j', (text) => {
    expect(parseKubernetesVersion(text)).toBeUndefined();
  });
});

describe('releasedAfterMarch2022 (the first patches of 2022-03-16, and every minor from 1.24)', () => {
  const released = (major: number, minor: number, patch: number) => releasedAfterMarch2022({ major, minor, patch });

  it('is true from 1.24.0 on and false for 1.20 and before', () => {
    expect(released(1, 24, 0)).toBe(true);
    expect(released(1, 31, 2)).toBe(true);
    expect(released(1, 20, 15)).toBe(false);
    expect(released(1, 19, 99)).toBe(false);
  });

  it.each([[21, 11], [22, 8], [23, 5]])('is true from 1.%i.%i on, and false for the patch before', (minor, firstPatch) => {
    expect(released(1, minor, firstPatch)).toBe(true);
    expect(released(1, minor, firstPatch + 7)).toBe(true);
    expect(released(1, minor, firstPatch - 1)).toBe(false);
  });

  it('is true for any later major version and false for an earlier one', () => {
    expect(released(2, 0, 0)).toBe(true);
    expect(released(0, 99, 99)).toBe(false);
  });
});
