import { DuplicateRequest } from './errors';
import type { RequestLedger } from './ports';

/**
 * Claims the request's identity (when it has one) in the transaction that acts on it: a key
 * already claimed means this request was acted on before, and it throws DuplicateRequest. Call
 * it first inside the transaction, so a refusal or a crash later in it leaves no claim.
 */
export async function claimRequest(ledger: RequestLedger, teamId: string, requestKey: string | undefined, at: Date): Promise<void> {
  if (requestKey !== undefined && !(await ledger.claim(teamId, requestKey, at))) throw new DuplicateRequest();
}
