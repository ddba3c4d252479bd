/**
 * What a file's name tells the readers, in one place for one-shot ingest,
 * bulk ingest and the follower alike: which files are never read as logs
 * (compressed, databases, images, editor and temporary files, Docker's own
 * metadata, hidden files), and which names are rotated copies — Docker's
 * `<id>-json.log.N`, and logrotate's `app.log.1`, `app.log-20260101`,
 * `app.log.2026-01-01` — whose content is final (nothing is appended to them).
 */

/** Files we never read as logs. */
const SKIPPED = /\.(?:gz|zst|xz|bz2|lz4|zip|sqlite|sqlite-wal|sqlite-shm|db|png|jpg|pdf|swp|tmp)$|^config\.v2\.json$|^hostconfig\.json$|^\./i;
/** A rotated copy of a plain log file, by the suffix logrotate gives it. */
const ROTATED = /(?:\.\d{1,4}|[.-]\d{8}(?:\d{2,6})?|[.-]\d{4}-\d\d-\d\d(?:[T_-][\d:-]+)?)$/;
/** A rotated copy of a Docker json-file log. */
const DOCKER_ROTATED = /-json\.log\.\d+$/;
/** Docker's live json-file log of a container. */
const DOCKER_LOG = /-json\.log$/;

/** A file name (no directory) that is never read as a log. */
export function isSkippedFile(name: string): boolean {
  return SKIPPED.test(name);
}

/** A plain log file's name that says it was rotated away (nothing more will be written to it). */
export function isRotatedName(name: string): boolean {
  return ROTATED.test(name);
}

/** A path of a Docker container's rotated json-file log (`<id>-json.log.N`). */
export function isRotatedDockerLog(file: string): boolean {
  return DOCKER_ROTATED.test(file);
}

/** A path of a Docker container's json-file log, live or rotated. */
export function isAnyDockerLog(file: string): boolean {
  return DOCKER_LOG.test(file) || DOCKER_ROTATED.test(file);
}

/** A path of a Docker container's live json-file log (`<id>-json.log`). */
export function isDockerLog(file: string): boolean {
  return DOCKER_LOG.test(file);
}
