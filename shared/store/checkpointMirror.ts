import type { ContainerClient } from '@azure/storage-blob';
import { httpStatusOf, isConflict } from '../domain/errors.js';
import { mirrorBlobName, type CheckpointMirrorWriter } from './trailCheckpoints.js';

/**
 * The checkpoint mirror in an Azure Blob container: one blob per checkpoint, created once
 * (`If-None-Match: *`), never overwritten or deleted by the store. Give the container a version-level
 * immutability policy (README, "Tamper evidence"): then not even the scanner's own identity can
 * change or remove a checkpoint it wrote, and `verify` holds the tables to them.
 */
export class BlobCheckpointMirror implements CheckpointMirrorWriter {
  constructor(private readonly container: ContainerClient) {}

  async has(seq: number): Promise<boolean> {
    return this.container.getBlobClient(mirrorBlobName(seq)).exists();
  }

  async put(seq: number, text: string): Promise<void> {
    const body = Buffer.from(text, 'utf8');
    try {
      await this.container.getBlockBlobClient(mirrorBlobName(seq)).upload(body, body.length, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (error) {
      // 409/412: it is there already (a retry, or a catch-up racing the scan that wrote it).
      if (isConflict(error)) return;
      if (httpStatusOf(error) === 404) {
        throw new Error(`the checkpoint mirror container ${this.container.containerName} does not exist; create it with a version-level immutability policy (README, "Tamper evidence")`, { cause: error });
      }
      throw error;
    }
  }
}
