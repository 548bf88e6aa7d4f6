export { archivePreviousYear, previousYear, ArchiveIncompleteError, type AgencyArchive, type YearArchive } from "./archive-year";
export { caseArchiveKey, manifestKey, archivePrefix, buildCaseZip, buildManifest, auditCheck, entryNames, type Manifest, type ManifestCase, type AuditCheck } from "./bundle";
