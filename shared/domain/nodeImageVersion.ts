import { calendarDate } from './time.js';

/**
 * The build date written in an AKS node image version, or undefined when it cannot be read.
 * A version we cannot date is unknown evidence, never proof of age. The formats seen in ARM:
 * - `AKSUbuntu-1804gen2containerd-2022.01.19`           YYYY.MM.DD
 * - `AKSUbuntu-2204gen2containerd-202405.03.0`          YYYYMM.DD.N (also AzureLinux, Mariner, Flatcar)
 * - `AKSWindows-2022-containerd-20348.2762.241009`      Windows BUILD.REVISION.YYMMDD
 */
export function nodeImageDate(nodeImageVersion: string | undefined): Date | undefined {
  if (!nodeImageVersion) return undefined;
  const trimmed = nodeImageVersion.trim();
  const version = trimmed.slice(trimmed.lastIndexOf('-') + 1);

  let match = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(version);
  if (match) return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]));

  match = /^(\d{4})(\d{2})\.(\d{2})\.\d+$/.exec(version);
  if (match) return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]));

  match = /^\d{5}\.\d+\.(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (match && /windows/i.test(nodeImageVersion)) {
    return calendarDate(2000 + Number(match[1]), Number(match[2]), Number(match[3]));
  }
  return undefined;
}
