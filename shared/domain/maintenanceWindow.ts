import { MAINTENANCE_CONFIGURATION_PREFERENCE, type MaintenanceConfigurationSpec } from './maintenanceSchedule.js';
import type { Policy } from './policy.js';
import { DAY_MS } from './time.js';
import { joinSpans, type Span } from './timeSpans.js';
import { maintenanceWindowSpans, policyWindowSpans, timeInWeekSpans, type SearchRange } from './windowOccurrences.js';

export type RotationWindowSource = 'aksManagedNodeOSUpgradeSchedule' | 'aksManagedAutoUpgradeSchedule' | 'default' | 'policy' | 'any-time';

export interface RotationWindow {
  /** Which window governed the decision. */
  source: RotationWindowSource;
  /** The configuration's name when `source` is one of AKS's. */
  name?: string;
  /** True when now is inside a window and the rest of it holds `expectedDurationMinutes`. */
  open: boolean;
  /** When open (and not any-time): when the current window ends. */
  closesAt?: Date;
  /** When not open: the start of the next window that can hold the rotation (absent if none within 400 days). */
  notBefore?: Date;
}

/** How far ahead the next window is looked for. */
const HORIZON_DAYS = 400;

/**
 * Whether `rotateClusterCertificates` may start now (docs/rules.md "Maintenance windows"): inside the
 * cluster's own planned maintenance window, the first of MAINTENANCE_CONFIGURATION_PREFERENCE it has,
 * else inside the policy's `rotation.window`, else at any time; and only with the whole expected
 * duration of the rotation left in that window.
 */
export function rotationWindow(input: {
  configurations: readonly MaintenanceConfigurationSpec[];
  policyWindow: Policy['rotation']['window'];
  now: Date;
  expectedDurationMinutes: number;
}): RotationWindow {
  const { now, expectedDurationMinutes } = input;
  // From a day back: a window that started yesterday may still be running.
  const range: SearchRange = { from: now.getTime() - DAY_MS, to: now.getTime() + HORIZON_DAYS * DAY_MS };
  for (const name of MAINTENANCE_CONFIGURATION_PREFERENCE) {
    const configuration = input.configurations.find((candidate) => candidate.name === name && hasSchedule(candidate));
    if (configuration) {
      const spans = configuration.maintenanceWindow ? maintenanceWindowSpans(configuration.maintenanceWindow, range) : timeInWeekSpans(configuration, range);
      return { source: name, name, ...decide(spans, now, expectedDurationMinutes, range.to) };
    }
  }
  if (input.policyWindow) return { source: 'policy', ...decide(policyWindowSpans(input.policyWindow, range), now, expectedDurationMinutes, range.to) };
  return { source: 'any-time', open: true };
}

/** A configuration that says when maintenance may run: the `maintenanceWindow` form, or the legacy `timeInWeek` (which it replaces). */
function hasSchedule(configuration: MaintenanceConfigurationSpec): boolean {
  return configuration.maintenanceWindow !== undefined || (configuration.timeInWeek ?? []).length > 0;
}

function decide(spans: Span[], now: Date, expectedDurationMinutes: number, horizon: number): Pick<RotationWindow, 'open' | 'closesAt' | 'notBefore'> {
  const at = now.getTime();
  const needed = expectedDurationMinutes * 60_000;
  const windows = joinSpans(spans);
  const current = windows.find((window) => window.start <= at && at < window.end);
  if (current && current.end - at >= needed) return { open: true, closesAt: new Date(current.end) };
  const next = windows.find((window) => window.start > at && window.start <= horizon && window.end - window.start >= needed);
  return next ? { open: false, notBefore: new Date(next.start) } : { open: false };
}
