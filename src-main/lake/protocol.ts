import { AppError } from '../../shared/errors';
import { columnMappingMode } from './column-mapping';
import type { MetadataAction, ProtocolAction } from './delta-actions';

/**
 * What Retrace can read (notes/table-formats.md §1.9; docs/table-features.md lists it for users).
 * Everything else is refused by name, so a user learns which feature stands in the way instead
 * of seeing wrong rows.
 */
export const SUPPORTED_READER_FEATURES = new Set([
  'columnMapping', 'deletionVectors', 'timestampNtz', 'typeWidening', 'typeWidening-preview', 'v2Checkpoint',
  'vacuumProtocolCheck', 'variantType', 'variantType-preview',
]);
export const MAX_READER_VERSION = 3;

export function checkReadable(tableDir: string, protocol: ProtocolAction, metadata: MetadataAction): void {
  const reader = protocol.minReaderVersion;
  if (reader > MAX_READER_VERSION) {
    throw new AppError('UNSUPPORTED', `Table ${tableDir} needs Delta reader version ${reader} (Unsupported Delta protocol reader version); Retrace reads up to ${MAX_READER_VERSION}.`);
  }
  if (reader === 3) {
    for (const feature of protocol.readerFeatures ?? []) {
      if (!SUPPORTED_READER_FEATURES.has(feature)) throw unsupportedFeature(tableDir, feature);
    }
  }
  columnMappingMode(metadata); // an unknown mode is refused by name
}

export function unsupportedFeature(tableDir: string, feature: string): AppError {
  return new AppError('UNSUPPORTED', `Table ${tableDir} uses reader feature "${feature}", which Retrace cannot read yet.`, { feature });
}
