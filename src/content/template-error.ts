/**
 * @module content/template-error
 * Why a template could not become a message, as a stable code the HTTP layer maps to a 422. The
 * codes match the catalogue in core/errors.ts; LiquidJS's own error stays attached as `cause`.
 */

export type TemplateErrorCode =
  'template_invalid' | 'template_variable_missing' | 'template_render_failed' | 'template_too_long';

export interface TemplateErrorDetails {
  /** The missing variable as the template spells it: `name`, `booking.time`. */
  variable?: string;
  /** 1-based position in the template source, when LiquidJS knows it. */
  line?: number;
  column?: number;
  cause?: unknown;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code: TemplateErrorCode;
  readonly variable: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: TemplateErrorCode, message: string, details: TemplateErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.variable = details.variable;
    this.line = details.line;
    this.column = details.column;
  }
}
