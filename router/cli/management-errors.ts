// Why a management request from `weft stat` / `weft manage` failed. Each kind has its own code
// (docs/errors.md); the message is the one line the command prints before exiting 1.

import { WeftError } from '../common/errors';

export type ManagementClientCode =
  /** Nothing answered at the address, or the connection was refused, closed or lost. */
  | 'WEFT_MGMT_UNREACHABLE'
  /** The router refused or detached the management sender or the reply receiver. */
  | 'WEFT_MGMT_LINK_REFUSED'
  /** No credit to send, or no reply, within the timeout. */
  | 'WEFT_MGMT_TIMEOUT'
  /** The agent answered with a status other than the one the operation expects. */
  | 'WEFT_MGMT_STATUS';

export class ManagementClientError extends WeftError {
  constructor(
    code: ManagementClientCode,
    message: string,
    /** The reply's statusCode, for WEFT_MGMT_STATUS. */
    readonly status?: number,
  ) {
    super(code, message);
  }
}
