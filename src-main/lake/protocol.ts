import { AppError } from '../../shared/errors';
import type { MetadataAction, ProtocolAction } from './delta-log';

/**
 * What Retrace can read (notes/table-formats.md §1.9). Everything else is refused by name, so a
 * user learns which feature stands in the way instead of seeing wrong rows.
 */
export const SUPPORTED_READER_FEATURES = new Set(['deletionVectors', 'timestampNtz', 'vacuumProtocolCheck']);
export const MAX_READER_VERSION = 3;

export function checkReadable(tableDir: string, protocol: ProtocolAction, metadata: MetadataAction): void {
  const reader = protocol.minReaderVersion;
  if (reader > MAX_READER_VERSION) {
    throw new AppError('UNSUPPORTED', `Table ${tableDir} needs Delta reader version ${reader} (Unsupported Delta protocol reader version); Retrace reads up to ${MAX_READER_VERSION}.`);
  }
  const mappingMode = metadata.configuration?.['delta.columnMapping.mode'];
  // Reader version 2 exists only for column mapping; with mode "none" the data is still plain.
  if ((reader === 2 && mappingMode !== 'none') || (mappingMode && mappingMode !== 'none')) {
    throw unsupportedFeature(tableDir, 'columnMapping');
  }
  if (reader === 3) {
    for (const feature of protocol.readerFeatures ?? []) {
      if (!SUPPORTED_READER_FEATURES.has(feature)) throw unsupportedFeature(tableDir, feature);
    }
  }
}

export function unsupportedFeature(tableDir: string, feature: string): AppError {
  return new AppError('UNSUPPORTED', `Table ${tableDir} uses reader feature "${feature}", which Retrace cannot read yet.`, { feature });
}
