import { BrokerError } from '../../domain/errors/broker-error.js';
import { type HttpClient, type HttpRequest, type HttpResponse, TransportError } from './http-client.js';

/**
 * Sends one request; a failure on the way becomes a BrokerError naming `where`: `unknown_outcome`
 * for a write that had left (it may have been processed), `unavailable` otherwise.
 */
export async function sendOrExplain(http: HttpClient, request: HttpRequest, failure: { where: string; write?: boolean; broker: string }): Promise<HttpResponse> {
  try {
    return await http.send(request);
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    if (failure.write && err.sent) throw new BrokerError('unknown_outcome', `${failure.where}: ${err.message}; the request may have been processed`, failure.broker, { code: err.code });
    throw new BrokerError('unavailable', `${failure.where}: ${err.message}`, failure.broker, { code: err.code });
  }
}

/** A bare 5xx answer to a write says nothing about whether the broker took it: the engine must look it up. */
export function mayHaveBeenProcessed(error: BrokerError): BrokerError {
  return new BrokerError('unknown_outcome', `${error.message}; the request may have been processed`, error.broker, error.details);
}
