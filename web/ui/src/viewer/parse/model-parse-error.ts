/**
 * Why a file could not be shown. The viewer maps each reason to a sentence from its labels;
 * nothing else of the error reaches the person.
 */
export type ModelParseErrorReason =
  /** The file holds no bytes. */
  | 'empty'
  /** The format could not be recognised from the name nor from the bytes. */
  | 'unknown-format'
  /** The bytes are not a valid file of the format (truncated, malformed, not a zip...). */
  | 'malformed'
  /** The file is valid but describes no triangle. */
  | 'no-triangles'
  /** The file could not be read or fetched. */
  | 'unreadable';

export class ModelParseError extends Error {
  override readonly name = 'ModelParseError';
  constructor(
    readonly reason: ModelParseErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export function isModelParseError(error: unknown): error is ModelParseError {
  return error instanceof ModelParseError;
}
