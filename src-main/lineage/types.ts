/** The lineage result types live in the shared contract (the UI reads them too). */
export * from '../../shared/lineage-dto';
