/**
 * Whether a stored history row is exactly what the store wrote: the check lives with the row format
 * (store/historyEntity.ts), because the store also uses it before it completes an unfinished write.
 */
export { historyRowIntegrity, type RowIntegrity } from '../store/historyEntity.js';
