import type { DeletionVectorDescriptor } from './deletion-vectors';

/**
 * The actions of a Delta commit (PROTOCOL.md §Actions), as they appear in JSON commits and, one
 * struct column per action, in checkpoints. Types only: the log reader, the protocol check and
 * the writer all speak them.
 */
export interface ProtocolAction {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[] | null;
  readonly writerFeatures?: readonly string[] | null;
}
export interface MetadataAction {
  readonly id: string;
  readonly name?: string | null;
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly configuration: Record<string, string>;
  readonly createdTime?: number | null;
  readonly format?: { provider: string; options?: Record<string, string> };
}
export interface AddAction {
  readonly path: string;
  readonly partitionValues: Record<string, string | null>;
  readonly size: number;
  readonly modificationTime: number;
  readonly dataChange: boolean;
  readonly stats?: string | null;
  readonly tags?: Record<string, string> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}
export interface RemoveAction {
  readonly path: string;
  readonly dataChange: boolean;
  readonly deletionTimestamp?: number | null;
  readonly partitionValues?: Record<string, string | null> | null;
  readonly size?: number | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}
export interface CdcAction { readonly path: string; readonly partitionValues: Record<string, string | null>; readonly size: number }
export interface TxnAction { readonly appId: string; readonly version: number; readonly lastUpdated?: number | null }
export type CommitInfo = Record<string, unknown> & { timestamp?: number; inCommitTimestamp?: number; operation?: string; operationMetrics?: Record<string, string> };

/** One line of a commit file; unknown actions are kept but ignored (the protocol requires that). */
export interface SidecarAction { readonly path: string; readonly sizeInBytes?: number; readonly modificationTime?: number }
export interface DomainMetadataAction { readonly domain: string; readonly configuration: string; readonly removed: boolean }
export interface Action {
  protocol?: ProtocolAction; metaData?: MetadataAction; add?: AddAction; remove?: RemoveAction;
  cdc?: CdcAction; txn?: TxnAction; commitInfo?: CommitInfo;
  /** v2 checkpoints only. */
  checkpointMetadata?: { version: number }; sidecar?: SidecarAction;
  domainMetadata?: DomainMetadataAction;
}
