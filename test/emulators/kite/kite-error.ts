/** An error the emulator answers with Kite's error envelope and HTTP status. */
export class KiteEmulatorError extends Error {
  constructor(
    readonly errorType: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Kite's error_types with their usual HTTP status (BROKERS.md). */
export const ERROR_STATUS: Record<string, number> = {
  TokenException: 403,
  PermissionException: 403,
  UserException: 403,
  InputException: 400,
  MarginException: 400,
  HoldingException: 400,
  OrderException: 500,
  NetworkException: 503,
  DataException: 502,
  GeneralException: 500,
};

export const input = (message: string) => new KiteEmulatorError('InputException', 400, message);
