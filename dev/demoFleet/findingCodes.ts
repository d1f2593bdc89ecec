/**
 * Finding codes and auto-rotation reasons of docs/rules.md, short names for the `expected` verdicts
 * of the data files.
 */

// Finding codes.
export const EXPIRED = 'CERT_EXPIRED';
export const CRITICAL = 'CERT_EXPIRING_CRITICAL';
export const SOON = 'CERT_EXPIRING_SOON';
export const NOT_YET_VALID = 'CERT_NOT_YET_VALID';
export const EXCEEDS = 'CERT_AGE_EXCEEDS_POLICY';
export const NEAR = 'CERT_AGE_NEAR_POLICY';
export const INELIGIBLE = 'AUTO_ROTATION_INELIGIBLE';
export const OVERDUE = 'AUTO_ROTATION_OVERDUE';
export const LEGACY_CA = 'LEGACY_TWO_YEAR_CA';
export const STOPPED = 'CLUSTER_STOPPED';
export const NOT_READY = 'CLUSTER_NOT_READY';
export const CA_INVALID = 'CUSTOM_CA_INVALID';
export const CA_LIMIT = 'CUSTOM_CA_LIMIT_EXCEEDED';
export const CA_WINDOWS = 'CUSTOM_CA_WINDOWS_POOL';
export const UNAVAILABLE = 'CERT_SOURCE_UNAVAILABLE';
export const VERSION_UNSUPPORTED = 'KUBERNETES_VERSION_UNSUPPORTED';
export const DEADLOCK = 'UPGRADE_ROTATION_DEADLOCK_RISK';
export const SERVING_DISABLED = 'KUBELET_SERVING_ROTATION_DISABLED';

// Auto-rotation ineligibility reasons.
export const RBAC_DISABLED = 'RBAC_DISABLED';
export const PREDATES = 'PREDATES_TLS_BOOTSTRAP';
export const NODE_IMAGE = 'NODE_IMAGE_PREDATES_TLS_BOOTSTRAP';
export const STOPPED_REASON = 'CLUSTER_STOPPED';
