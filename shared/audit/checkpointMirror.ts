import type { ContainerClient } from '@azure/storage-blob';

/** A checkpoint blob of the mirror: its name, its sequence number, and its versions (oldest first). */
export interface MirroredBlob {
  name: string;
  seq: number;
  /** Version ids, oldest first; empty where the account keeps no versions (Azurite). */
  versions: string[];
}

/**
 * The checkpoint mirror as `verify` reads it: list and download, nothing else. Under a version-level
 * immutability policy a blob can still be overwritten (that makes a new version) but no version can
 * be changed or deleted, so the oldest version is the one the store wrote; a blob with more than one
 * version was written over by someone.
 */
export interface CheckpointMirrorReader {
  /** The container, for messages. */
  readonly where: string;
  blobs(): AsyncIterable<MirroredBlob>;
  read(blob: MirroredBlob): Promise<string>;
}

const BLOB_NAME = /^checkpoints\/(\d{12})\.json$/;

export function blobCheckpointMirror(container: Pick<ContainerClient, 'listBlobsFlat' | 'getBlobClient' | 'containerName' | 'url'>): CheckpointMirrorReader {
  return {
    where: container.url,
    async *blobs() {
      let current: MirroredBlob | undefined;
      for await (const item of container.listBlobsFlat({ prefix: 'checkpoints/', includeVersions: true })) {
        const match = BLOB_NAME.exec(item.name);
        if (!match) continue;
        if (current && current.name !== item.name) {
          yield current;
          current = undefined;
        }
        current ??= { name: item.name, seq: Number(match[1]), versions: [] };
        if (item.versionId) current.versions.push(item.versionId);
      }
      if (current) yield current;
    },
    async read(blob) {
      const oldest = [...blob.versions].sort()[0];
      const client = oldest ? container.getBlobClient(blob.name).withVersion(oldest) : container.getBlobClient(blob.name);
      return (await client.downloadToBuffer()).toString('utf8');
    },
  };
}
