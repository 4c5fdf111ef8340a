/** Bundles `entry` (a path from the project root) into `outfile` (packages stay external); returns the output's absolute path. */
export function buildEntry(entry: string, outfile: string): Promise<string>;
