import { Client, EqualityFilter, InvalidCredentialsError, DN, type Entry } from 'ldapts';
import type { Logger } from 'pino';
import { AppError } from '../../platform/errors.js';
import { redactDirectoryMessage } from '../../platform/log-redaction.js';
import type { LdapDirectoryConfig, Tenant } from '../tenants/tenant.model.js';
import type { Directory, DirectoryResult } from './directory.js';

/** AD user names and UPN local parts: anything else in a UPN template is refused, not escaped. */
const UPN_SAFE = /^[A-Za-z0-9._-]+$/;
/** Control characters and NUL never belong in a user ID; refusing them early keeps every path simple. */
const CONTROL = /[\u0000-\u001f\u007f]/;

class DirectoryUnreachable extends Error {}

/**
 * A university's LDAP or Active Directory (L-2). Either binds directly with a DN made from a
 * template (`uid={user},ou=people,dc=…` or AD's `{user}@example.ac.jp`), or finds the user with a
 * service account and then binds as them. Servers are tried in order (failover); an unreachable
 * or slow directory becomes `directory_unavailable`, which the student sees as "the university's
 * system is not answering" within the configured timeouts.
 */
export class LdapDirectory implements Directory {
  constructor(private readonly log: Logger) {}

  async verify(tenant: Tenant, userId: string, password: string): Promise<DirectoryResult> {
    const config = this.config(tenant);
    // An empty password is an anonymous bind, which LDAP servers accept: never a login.
    if (!userId || !password || userId.length > 256 || CONTROL.test(userId)) return { ok: false };
    try {
      return config.search
        ? await this.searchThenBind(config, userId, password)
        : await this.templateBind(config, userId, password);
    } catch (error) {
      if (error instanceof DirectoryUnreachable || !(error instanceof InvalidCredentialsError)) {
        this.log.error(
          { tenant: tenant.slug, err: redactDirectoryMessage(error instanceof Error ? error.message : String(error)) },
          'directory not answering',
        );
        throw new AppError('directory_unavailable', { cause: error });
      }
      return { ok: false };
    }
  }

  /**
   * Whether a server answers at all (readiness, #13): the service account binds when there is
   * one, otherwise the root DSE is read. A refusal is still an answer; only no answer is false.
   */
  async reachable(tenant: Tenant): Promise<boolean> {
    const config = this.config(tenant);
    try {
      await this.withClient(config, async (client) => {
        if (config.search) await client.bind(config.search.serviceBindDn, config.search.serviceBindPassword);
        else await client.search('', { scope: 'base', attributes: ['namingContexts'] });
      });
      return true;
    } catch (error) {
      return !(error instanceof DirectoryUnreachable);
    }
  }

  /** Asking LDAP would be a login attempt that counts towards the university's lockout: unknown. */
  async matchesPassword(): Promise<boolean> {
    return false;
  }

  private config(tenant: Tenant): LdapDirectoryConfig {
    if (tenant.directory.kind !== 'ldap') throw new Error('not an LDAP tenant');
    return tenant.directory;
  }

  private async templateBind(config: LdapDirectoryConfig, userId: string, password: string): Promise<DirectoryResult> {
    const dn = bindName(config.bindDnTemplate ?? '', userId);
    if (!dn) return { ok: false };
    return this.withClient(config, async (client) => {
      if (!(await bindAs(client, dn, password))) return { ok: false };
      if (!config.filter && !config.userIdAttribute) return { ok: true, userId };
      // Who may log in (the tenant's filter) and the directory's own spelling of the ID.
      const isDn = dn.includes('=');
      const base = isDn ? dn : config.baseDn;
      if (!base) return { ok: true, userId };
      const filter = isDn
        ? (config.filter ?? '(objectClass=*)')
        : `(&${config.filter ?? '(objectClass=*)'}${new EqualityFilter({ attribute: 'userPrincipalName', value: dn }).toString()})`;
      const { searchEntries } = await client.search(base, {
        scope: isDn ? 'base' : 'sub',
        filter,
        attributes: [config.userIdAttribute],
        sizeLimit: 2,
      });
      const entry = searchEntries.length === 1 ? searchEntries[0] : undefined;
      return entry ? { ok: true, userId: canonicalId(entry, config.userIdAttribute, userId) } : { ok: false };
    });
  }

  private async searchThenBind(
    config: LdapDirectoryConfig,
    userId: string,
    password: string,
  ): Promise<DirectoryResult> {
    const search = config.search;
    if (!search) return { ok: false };
    return this.withClient(config, async (client) => {
      if (!(await bindAs(client, search.serviceBindDn, search.serviceBindPassword))) {
        throw new Error('the service account was refused by the directory');
      }
      // The typed ID goes in as an escaped assertion value (RFC 4515), never as filter text.
      const match = new EqualityFilter({ attribute: config.userIdAttribute, value: userId }).toString();
      const { searchEntries } = await client.search(search.baseDn, {
        scope: 'sub',
        filter: `(&${config.filter ?? '(objectClass=*)'}${match})`,
        attributes: [config.userIdAttribute],
        sizeLimit: 2,
      });
      const entry = searchEntries.length === 1 ? searchEntries[0] : undefined;
      if (!entry) return { ok: false };
      if (!(await bindAs(client, entry.dn, password))) return { ok: false };
      return { ok: true, userId: canonicalId(entry, config.userIdAttribute, userId) };
    });
  }

  /**
   * Runs the work against the first server that answers, upgrading with StartTLS when
   * configured; a server that cannot be reached (refused, timed out, cut off) passes the turn to
   * the next one.
   */
  private async withClient<T>(config: LdapDirectoryConfig, work: (client: Client) => Promise<T>): Promise<T> {
    const tlsOptions = {
      ...(config.caCertPem ? { ca: config.caCertPem } : {}),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2' as const,
    };
    let lastError: unknown;
    for (const url of config.urls) {
      // ldapts speaks TLS whenever tlsOptions is given, so plain ldap:// must not get them.
      const client = new Client({
        url,
        timeout: config.timeoutMs,
        connectTimeout: config.connectTimeoutMs,
        strictDN: false,
        ...(url.startsWith('ldaps://') && { tlsOptions }),
      });
      try {
        if (config.startTls) await client.startTLS(tlsOptions);
        return await work(client);
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        lastError = error;
        this.log.warn(
          { url, err: redactDirectoryMessage(error instanceof Error ? error.message : String(error)) },
          'directory server not answering, trying the next',
        );
      } finally {
        await client.unbind().catch(() => undefined);
      }
    }
    throw new DirectoryUnreachable(lastError instanceof Error ? lastError.message : 'no directory server answered');
  }
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof InvalidCredentialsError) return false;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return (
    (typeof code === 'string' && /^E[A-Z]+/.test(code)) ||
    /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|ECONNRESET|EPIPE|timeout|timed out|Connection closed|socket/i.test(
      message,
    )
  );
}

async function bindAs(client: Client, dn: string, password: string): Promise<boolean> {
  try {
    await client.bind(dn, password);
    return true;
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return false;
    throw error;
  }
}

/**
 * The bind name for a typed ID. DN templates (`uid={user},ou=…`) escape the value as an RDN
 * (RFC 4514); UPN templates (`{user}@domain`) accept only plain account names.
 */
export function bindName(template: string, userId: string): string | undefined {
  if (!template.includes('{user}')) return undefined;
  const dnMatch = /^([A-Za-z][A-Za-z0-9-]*)=\{user\}(,.*)?$/.exec(template);
  if (dnMatch?.[1]) return `${new DN({ [dnMatch[1]]: userId }).toString()}${dnMatch[2] ?? ''}`;
  if (template.includes('=')) return undefined;
  return UPN_SAFE.test(userId) ? template.replace('{user}', userId) : undefined;
}

function canonicalId(entry: Entry, attribute: string, typed: string): string {
  const value = entry[attribute];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first ? first : typed;
}
