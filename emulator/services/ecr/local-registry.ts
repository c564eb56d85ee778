/**
 * Starts Debian's `docker-registry` (Distribution v2) on 127.0.0.1 with htpasswd basic
 * auth, the way ECR authenticates registry clients (user AWS, password from
 * GetAuthorizationToken). Tests, benchmarks and the demo start one per account and tell
 * the emulator about it (EmulatorAdmin.setEcrRegistry), so what the ECR control plane
 * says is read from a registry that really holds the images.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RegistryRequest {
  method: string;
  path: string;
  status: number;
}

export interface LocalRegistry {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** 127.0.0.1:PORT, the host part of image references. */
  host: string;
  username: string;
  password: string;
  /** Where the registry keeps blobs and manifests. */
  storage: string;
  /** Requests the registry has answered so far (from its access log), oldest first. */
  requests(): RegistryRequest[];
  clearRequests(): void;
  stop(): Promise<void>;
}

export interface LocalRegistryOptions {
  username?: string;
  password?: string;
  /** Folder for the config, password file and storage; a new temporary folder when missing. */
  dir?: string;
}

// 127.0.0.1 - - [23/Nov/2026:13:38:35 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"
const ACCESS_LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A bcrypt htpasswd line; the password goes through stdin, never the command line. */
function writePasswordFile(path: string, username: string, password: string): void {
  // Cost 4, the lowest: the registry checks the password on every request.
  const result = spawnSync('htpasswd', ['-iBn', '-C', '4', username], { input: password, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      `htpasswd failed (${result.error?.message ?? result.stderr.trim()}); run scripts/setup-system.sh to install apache2-utils`,
    );
  }
  writeFileSync(path, result.stdout.trim() + '\n', { mode: 0o600 });
}

function configText(dir: string, port: number): string {
  return `version: 0.1
log:
  level: error
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: ${join(dir, 'storage')}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${port}
  secret: ${randomBytes(16).toString('hex')}
auth:
  htpasswd:
    realm: local-ecr
    path: ${join(dir, 'htpasswd')}
`;
}

async function waitUntilServing(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${output().trim()}`);
    try {
      const response = await fetch(`${endpoint}/v2/`);
      await response.arrayBuffer();
      if (response.status === 401 || response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`docker-registry did not answer on ${endpoint} within 15 s: ${output().trim()}`);
}

export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'local-ecr-'));
  const ownsDir = options.dir === undefined;
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const username = options.username ?? 'AWS';
  const password = options.password ?? randomBytes(24).toString('base64url');
  writePasswordFile(join(dir, 'htpasswd'), username, password);

  // A free port can be taken between the probe and the registry's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, configText(dir, port));
    const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let pending = '';
    const requests: RegistryRequest[] = [];
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = ACCESS_LINE.exec(line);
        if (match) requests.push({ method: match[1]!, path: match[2]!, status: Number(match[3]) });
        else if (log.length < 16_384) log += `${line}\n`;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const spawnFailed = new Promise<never>((_, reject) =>
      child.once('error', (error) =>
        reject(new Error(`cannot start docker-registry (${error.message}); run scripts/setup-system.sh`)),
      ),
    );
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await Promise.race([waitUntilServing(endpoint, child, () => log), spawnFailed]);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt < 3 && /address already in use/.test(log)) continue;
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const killOnExit = (): void => {
      child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    let stopping: Promise<void> | undefined;
    return {
      endpoint,
      host: `127.0.0.1:${port}`,
      username,
      password,
      storage: join(dir, 'storage'),
      requests: () => [...requests],
      clearRequests: () => {
        requests.length = 0;
      },
      stop: () => {
        stopping ??= new Promise<void>((resolve) => {
          process.off('exit', killOnExit);
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }
        }).then(() => {
          if (ownsDir) rmSync(dir, { recursive: true, force: true });
        });
        return stopping;
      },
    };
  }
}
