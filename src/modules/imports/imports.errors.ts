// Errors of the import pipeline: a whole file that cannot be read, and one row that cannot be
// used. Both carry French messages meant for the producer of the data.
import { DomainError } from '../../lib/errors.ts';

/** The file as a whole cannot be read (empty, binary, truncated, unknown columns…). */
export class ImportFileError extends DomainError {
  constructor(message: string) {
    super('import_file', message, 400);
  }
}

/** One problem on one row: rejected rows are stored in import_errors and sent back as CSV. */
export interface RowError {
  /** Line of the file (CSV: the line where the record starts, header = 1) or 1-based item index (JSON). */
  row: number;
  field: string;
  value?: string;
  message: string;
}
