import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(a) - Number(b));
  const bin = versions.length ? `${root}/${versions[versions.length - 1]}/bin` : undefined;
  return bin && existsSync(`${bin}/pg_ctl`) ? bin : undefined;
}

/** Whether this machine can run a cluster of a test's own (the PostgreSQL server is installed). */
export const postgresServerInstalled = pgBin() !== undefined;

/**
 * A PostgreSQL cluster of one test file's own, on loopback (scripts/postgres-up.sh, as CI starts
 * its own), so the test may stop, restart or kill it without touching anyone else's database.
 */
export class ThrowawayPostgres {
  private constructor(
    readonly url: string,
    private readonly dataDir: string,
    private readonly port: number,
  ) {}

  static async start(): Promise<ThrowawayPostgres> {
    const dataDir = `/tmp/shomei-faults-pg-${process.pid}-${Date.now()}`;
    const port = await freePort();
    const { stdout } = await run('scripts/postgres-up.sh', [dataDir, String(port)], { timeout: 60_000 });
    return new ThrowawayPostgres(stdout.trim(), dataDir, port);
  }

  stop(): Promise<void> {
    return this.pgCtl(['-m', 'fast', '-w', '-t', '20', 'stop']);
  }

  /** Starts the stopped cluster again, as it was. */
  async start(): Promise<void> {
    await run('scripts/postgres-up.sh', [this.dataDir, String(this.port)], { timeout: 60_000 });
  }

  /** `pg_ctl restart -m fast`: every session is ended, the server stops and starts again. */
  restart(): Promise<void> {
    return this.pgCtl(['-m', 'fast', '-w', '-t', '20', '-l', `${this.dataDir}/server.log`, 'restart']);
  }

  async destroy(): Promise<void> {
    await this.pgCtl(['-m', 'immediate', 'stop']).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async pgCtl(args: string[]): Promise<void> {
    const pgCtl = `${pgBin()}/pg_ctl`;
    const command = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', pgCtl] : [pgCtl];
    await run(command[0]!, [...command.slice(1), '-D', this.dataDir, ...args], { timeout: 30_000 });
  }
}
