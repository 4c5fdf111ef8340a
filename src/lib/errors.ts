// Domain errors: a stable code, a French message for people, and optional per-field details.
// One Fastify handler maps them to HTTP (problem+json for the API, an error page for HTML).

export interface FieldError {
  /** The field or parameter at fault, as named in the standard or the API. */
  field: string;
  /** French message, shown to people as is. */
  message: string;
  /** The offending value, when it helps (never personal data in logs). */
  value?: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(errors: FieldError[], message = 'Les données envoyées ne sont pas valides.') {
    super('validation', message, 400, errors);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not_found', message, 404);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message, 409);
  }
}
