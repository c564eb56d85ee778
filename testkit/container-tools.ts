/**
 * The container tools build-push-image's tests run for real, started on this machine only:
 * a docker daemon on a private socket (no bridge, no iptables, its own data and exec
 * roots), and a private buildah storage (vfs driver, chroot isolation). Both are installed
 * by scripts/setup-system.sh.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Dockerd {
  /** unix:///…/docker.sock, the value for DOCKER_HOST. */
  host: string;
  stop(): Promise<void>;
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function withSystemPath(path = process.env['PATH'] ?? ''): string {
  return [path, SYSTEM_PATH].filter(Boolean).join(':');
}

function locate(command: string): string {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], {
    encoding: 'utf8',
    env: { PATH: withSystemPath() },
  });
  const path = found.stdout.trim();
  if (!path) throw new Error(`${command} is not installed; run scripts/setup-system.sh`);
  return path;
}

/** Starts dockerd by hand and waits until its API answers. */
export async function startDockerd(): Promise<Dockerd> {
  const root = mkdtempSync(join(tmpdir(), 'bpi-dockerd-'));
  const socket = join(root, 'docker.sock');
  const host = `unix://${socket}`;
  const child = spawn(
    locate('dockerd'),
    [
      '--host',
      host,
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-masq=false',
      '--data-root',
      join(root, 'data'),
      '--exec-root',
      join(root, 'exec'),
      '--pidfile',
      join(root, 'docker.pid'),
      '--storage-driver',
      'vfs',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: withSystemPath() } },
  );
  let log = '';
  const keep = (chunk: Buffer): void => {
    if (log.length < 32_768) log += chunk.toString();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const docker = locate('docker');
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dockerd exited (${child.exitCode}): ${log.slice(-2000)}`);
    if (existsSync(socket)) {
      const probe = spawnSync(docker, ['version', '--format', '{{.Server.Version}}'], {
        env: { PATH: withSystemPath(), DOCKER_HOST: host, HOME: root },
        encoding: 'utf8',
      });
      if (probe.status === 0) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dockerd did not answer on ${host} within 45 s: ${log.slice(-2000)}`);
    }
    await sleep(100);
  }

  let stopping: Promise<void> | undefined;
  return {
    host,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }).then(() => rmSync(root, { recursive: true, force: true }));
      return stopping;
    },
  };
}

export interface BuildahStorage {
  /** Variables that point buildah at a private vfs storage with chroot isolation. */
  env: Record<string, string>;
  remove(): void;
}

export function buildahStorage(): BuildahStorage {
  const root = mkdtempSync(join(tmpdir(), 'bpi-buildah-'));
  const conf = join(root, 'storage.conf');
  writeFileSync(
    conf,
    `[storage]\ndriver = "vfs"\nrunroot = "${join(root, 'run')}"\ngraphroot = "${join(root, 'graph')}"\n`,
  );
  return {
    env: { CONTAINERS_STORAGE_CONF: conf, STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
