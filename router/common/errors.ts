// The error types of Weft. Every `code` is listed in docs/errors.md.

export class WeftError extends Error {
  /** Stable, documented code (docs/errors.md). */
  readonly code: string;
  /** The AMQP error condition to send to a peer, when the error ends a link or connection. */
  readonly condition?: string;

  constructor(code: string, message: string, options: { condition?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.condition = options.condition;
  }
}

/** A problem in a configuration file or a management CREATE/UPDATE. */
export class ConfigError extends WeftError {
  constructor(message: string, readonly problems: readonly ConfigProblem[] = []) {
    super('WEFT_CONFIG_INVALID', message);
  }
}

export interface ConfigProblem {
  file: string;
  line: number;
  /** `entity.attribute`, or `entity` when the problem is the section itself. */
  path: string;
  message: string;
}

/** A peer broke the AMQP protocol; `condition` says how the connection or link ends. */
export class ProtocolError extends WeftError {
  constructor(condition: string, message: string, options: { cause?: unknown } = {}) {
    super('WEFT_PROTOCOL', message, { condition, cause: options.cause });
  }
}

/** A management request that cannot be carried out: `status` is the reply's statusCode (reference §7.3). */
export class ManagementError extends WeftError {
  constructor(readonly status: number, message: string, options: { cause?: unknown } = {}) {
    super('WEFT_MANAGEMENT', message, options);
  }
}
