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
    const configuration = input.configurations.find((candidate) => candidate.name === name);
    const spans = configuration && configurationSpans(configuration, range);
    if (spans) return { source: name, name, ...decide(spans, now, expectedDurationMinutes, range.to) };
  }
  if (input.policyWindow) return { source: 'policy', ...decide(policyWindowSpans(input.policyWindow, range), now, expectedDurationMinutes, range.to) };
  return { source: 'any-time', open: true };
}

/**
 * The spans a configuration allows: its `maintenanceWindow`, else the legacy `timeInWeek` (which the
 * `maintenanceWindow` form replaces); undefined when it has neither, and so says nothing of when maintenance may run.
 */
function configurationSpans(configuration: MaintenanceConfigurationSpec, range: SearchRange): Span[] | undefined {
  if (configuration.maintenanceWindow) return maintenanceWindowSpans(configuration.maintenanceWindow, range);
  if (configuration.timeInWeek?.length) return timeInWeekSpans(configuration.timeInWeek, configuration.notAllowedTime, range);
  return undefined;
}

/** The first window, now or later, with the rotation's time in it from now or from its start: open if it has begun. */
function decide(spans: Span[], now: Date, expectedDurationMinutes: number, horizon: number): Pick<RotationWindow, 'open' | 'closesAt' | 'notBefore'> {
  const at = now.getTime();
  const window = joinSpans(spans).find(({ start, end }) => end - Math.max(start, at) >= expectedDurationMinutes * 60_000);
  if (window && window.start <= at) return { open: true, closesAt: new Date(window.end) };
  return window && window.start <= horizon ? { open: false, notBefore: new Date(window.start) } : { open: false };
}
