import crypto from 'node:crypto';
import { AppError } from '../../shared/errors';

/**
 * Single-use confirmations of a shown plan (re-runs and replays): `issue` hands out a token
 * bound to the plan's digest; `check` answers only for that token *and* that digest, within
 * the time limit — a token presented with another plan's digest, expired, or unknown is refused
 * and spent, so nothing the user was not shown can run; `spend` uses it up once it runs.
 */
export class PlanTokens<T extends { readonly digest: string }> {
  private readonly pending = new Map<string, { plan: T; expires: number }>();

  constructor(
    /** How the UI names the confirmation and what it confirms: "re-run" / "plan", "replay" / "replay". */
    private readonly words: { readonly confirmation: string; readonly plan: string },
    private readonly ttlMs = 10 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Issues a token and keeps the plan `make` builds around it (the plan shown carries its token). */
  issue<U extends T>(make: (token: string, expiresAt: number) => U): U {
    const now = this.clock();
    for (const [t, p] of this.pending) if (p.expires < now) this.pending.delete(t); // plans nobody confirmed
    const token = crypto.randomBytes(18).toString('base64url');
    const expiresAt = now + this.ttlMs;
    const plan = make(token, expiresAt);
    this.pending.set(token, { plan, expires: expiresAt });
    return plan;
  }

  /** The plan this token confirms, if `digest` is that plan's; otherwise refused (and the token spent). */
  check(token: string, digest: string): T {
    const p = this.pending.get(token);
    const refuse = (code: 'NOT_FOUND' | 'CANCELLED' | 'FORBIDDEN', message: string): never => {
      this.pending.delete(token);
      throw new AppError(code, message);
    };
    const { confirmation, plan } = this.words;
    if (!p) return refuse('NOT_FOUND', `This ${confirmation} confirmation is unknown or was already used; ask for the ${plan} again.`);
    if (p.expires < this.clock()) return refuse('CANCELLED', `This ${confirmation} confirmation expired; ask for the ${plan} again.`);
    if (p.plan.digest !== digest) {
      return refuse('FORBIDDEN', `This confirmation was issued for a different ${plan} than the one confirmed; nothing ran. Ask for the ${plan} again and confirm what it shows.`);
    }
    return p.plan;
  }

  spend(token: string): void {
    this.pending.delete(token);
  }
}
