import { describe, expect, it } from 'vitest';
import { nodeImageDate } from '../../../shared/domain/nodeImageVersion.js';

describe('nodeImageDate', () => {
  it.each([
    ['AKSUbuntu-1804gen2containerd-2022.01.19', '2022-01-19'],
    ['AKSUbuntu-1604-2020.10.28', '2020-10-28'],
    ['AKSUbuntu-2204gen2containerd-202405.03.0', '2024-05-03'],
    ['AKSAzureLinux-V2gen2-202405.03.0', '2024-05-03'],
    ['AKSCBLMariner-V2gen2-202203.01.1', '2022-03-01'],
    ['AKSWindows-2022-containerd-20348.2762.241009', '2024-10-09'],
    ['AKSWindows-2019-17763.2565.220211', '2022-02-11'],
    ['AKSUbuntu-2204gen2containerd-2024.02.29', '2024-02-29'],
    ['AKSUbuntu-2204gen2containerd-202405.03.10', '2024-05-03'],
    ['  AKSUbuntu-1804gen2containerd-2022.01.19 ', '2022-01-19'],
    ['2022.01.19', '2022-01-19'],
  ])('reads the build date of %s', (version, date) => {
    expect(nodeImageDate(version)?.toISOString().slice(0, 10)).toBe(date);
  });

  it.each([
    ['an unknown format', 'AKSUbuntu-2204gen2containerd-latest'],
    ['a day that does not exist (2023 is not a leap year)', 'AKSUbuntu-2204gen2containerd-2023.02.29'],
    ['month 13', 'AKSUbuntu-2204gen2containerd-202413.01.0'],
    ['a YYMMDD suffix on a Linux image', 'AKSUbuntu-2204-20348.2762.241009'],
    ['a date with something glued before it', 'AKSUbuntu-1804-x2022.01.19'],
    ['a date with a fourth part', 'AKSUbuntu-1804-2022.01.19.1'],
    ['a YYYYMM.DD.N version with something glued before it', 'AKSUbuntu-2204-x202405.03.0'],
    ['a YYYYMM.DD.N version with something glued after it', 'AKSUbuntu-2204-202405.03.0x'],
    ['a Windows version with something glued before it', 'AKSWindows-2022-containerd-x20348.2762.241009'],
    ['a Windows version with something glued after it', 'AKSWindows-2022-containerd-20348.2762.241009x'],
    ['an empty version', ''],
    ['no version', undefined],
  ])('gives no date for %s', (_why, version) => {
    expect(nodeImageDate(version)).toBeUndefined();
  });
});
