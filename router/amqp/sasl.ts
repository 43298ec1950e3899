// SASL (part 5 §5.3): the mechanisms a listener offers and how it checks them, and the client
// side used by connectors. ANONYMOUS and PLAIN are built in; EXTERNAL needs TLS (later).

export const SaslCode = { ok: 0, auth: 1, sys: 2, sysPerm: 3, sysTemp: 4 } as const;

export interface SaslServerOptions {
  /** Mechanisms offered, in preference order. */
  mechanisms: string[];
  /** Checks PLAIN credentials; absent means any user/password is accepted. */
  checkPlain?: (user: string, password: string) => boolean;
}

export interface SaslResult { code: number; user?: string; reason?: string }

/** Checks a client's sasl-init against the offered mechanisms. */
export function saslServerCheck(opts: SaslServerOptions, mechanism: string, response: Buffer | undefined): SaslResult {
  if (!opts.mechanisms.includes(mechanism)) return { code: SaslCode.auth, reason: `mechanism ${mechanism} not offered` };
  switch (mechanism) {
    case 'ANONYMOUS':
      return { code: SaslCode.ok, user: 'anonymous' };
    case 'PLAIN': {
      if (!response) return { code: SaslCode.auth, reason: 'PLAIN without a response' };
      const parts = response.toString('utf8').split('\0');
      if (parts.length !== 3 || parts[1] === '') return { code: SaslCode.auth, reason: 'malformed PLAIN response' };
      const [, user, password] = parts;
      if (opts.checkPlain && !opts.checkPlain(user, password)) return { code: SaslCode.auth, reason: `authentication failed for ${user}` };
      return { code: SaslCode.ok, user };
    }
    default:
      return { code: SaslCode.auth, reason: `mechanism ${mechanism} not supported` };
  }
}

export interface SaslClientOptions { mechanisms?: string[]; username?: string; password?: string }

/** Picks the client mechanism from the server's list: PLAIN when credentials are set, else ANONYMOUS. */
export function saslClientChoose(opts: SaslClientOptions, offered: string[]): { mechanism: string; initialResponse?: Buffer } | undefined {
  const allowed = (m: string) => offered.includes(m) && (!opts.mechanisms || opts.mechanisms.includes(m));
  if (opts.username !== undefined && allowed('PLAIN')) {
    return { mechanism: 'PLAIN', initialResponse: Buffer.from(`\0${opts.username}\0${opts.password ?? ''}`, 'utf8') };
  }
  if (allowed('ANONYMOUS')) return { mechanism: 'ANONYMOUS', initialResponse: Buffer.from('anonymous') };
  return undefined;
}
