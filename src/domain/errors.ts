/** An error whose message is written for the person who caused it. */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    public readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = 'AppError';
  }
}

/** The person may not do this; `whoCan` lists who may, for the refusal. */
export class PermissionError extends AppError {
  constructor(
    public readonly action: string,
    public readonly whoCan: string[],
  ) {
    super('forbidden', `Only ${orList(whoCan)} can ${action}.`);
    this.name = 'PermissionError';
  }
}

/** Field-level problems (field → what to fix), shown inline in a modal. */
export class ValidationError extends Error {
  constructor(public readonly fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
    this.name = 'ValidationError';
  }
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The same request arrived again (Slack retried, a double submit): it was already acted on. */
export class DuplicateRequest extends Error {
  constructor() {
    super('request already processed');
    this.name = 'DuplicateRequest';
  }
}
