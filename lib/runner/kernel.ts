/**
 * A Jupyter client for one kernel: starts the kernel from its kernelspec the way Jupyter,
 * nbconvert and VS Code do (connection file, `{connection_file}`/`{resource_dir}` in `argv`,
 * the notebook's folder as working directory) and speaks the Jupyter messaging protocol 5.3
 * over ZeroMQ (shell DEALER, iopub SUB, control DEALER; HMAC-SHA256 signed multipart
 * messages). https://jupyter-client.readthedocs.io/en/latest/messaging.html
 *
 * The runner uses it with the project's tslab kernelspec (notebooks/.jupyter/kernels/tslab), so
 * a notebook executes in exactly the kernel a reader gets in JupyterLab or VS Code.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** A kernelspec (kernel.json) as Jupyter reads it. */
export interface KernelSpec {
  readonly argv: readonly string[];
  readonly display_name?: string;
  readonly language?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** One IOPub or shell message, decoded. */
export interface KernelMessage {
  readonly header: { readonly msg_id: string; readonly msg_type: string; readonly [k: string]: unknown };
  readonly parent_header: { readonly msg_id?: string; readonly [k: string]: unknown };
  readonly metadata: Record<string, unknown>;
  readonly content: Record<string, unknown>;
}

export interface StartKernelOptions {
  /** Folder holding kernel.json (its `{resource_dir}`). */
  readonly kernelDir: string;
  /** Working directory of the kernel (Jupyter: the notebook's folder). */
  readonly cwd: string;
  /** Extra environment for the kernel process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Seconds to wait for the kernel to answer kernel_info (default 60). */
  readonly startTimeoutSec?: number;
}

const DELIM = Buffer.from("<IDS|MSG>");

/** Free TCP ports on 127.0.0.1, chosen by the OS (as jupyter_client does). */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => resolve());
    });
    servers.push(s);
    ports.push((s.address() as net.AddressInfo).port);
  }
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** Read and check a kernelspec folder's kernel.json. */
export function readKernelSpec(kernelDir: string): KernelSpec {
  const file = path.join(kernelDir, "kernel.json");
  let spec: KernelSpec;
  try {
    spec = JSON.parse(fs.readFileSync(file, "utf8")) as KernelSpec;
  } catch (e) {
    throw new Error(`kernelspec ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(spec.argv) || spec.argv.length === 0 || !spec.argv.some((a) => a.includes("{connection_file}"))) {
    throw new Error(`kernelspec ${file}: "argv" must be a non-empty list containing {connection_file}`);
  }
  return spec;
}

/**
 * A running kernel. `execute(code, onMessage)` sends one execute_request and resolves with the
 * execute_reply content once the kernel is idle again; every IOPub message of that request goes
 * to `onMessage` in order. `shutdown()` asks the kernel to stop and kills its process group.
 */
export class KernelClient {
  private readonly waiters = new Map<string, (m: KernelMessage) => void>();
  private readonly iopubHandlers = new Map<string, (m: KernelMessage) => void>();
  private readonly session = randomUUID();
  private closed = false;
  /** The kernel process's own stdout/stderr (tail), for diagnosis when it dies. */
  log = "";
  /** Resolves when the kernel process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly key: string,
    readonly process: ChildProcess,
    private readonly shell: import("zeromq").Dealer,
    private readonly control: import("zeromq").Dealer,
    private readonly iopub: import("zeromq").Subscriber,
    private readonly tmp: string,
  ) {
    const keep = (b: Buffer): void => {
      this.log = (this.log + b.toString("utf8")).slice(-20000);
    };
    process.stdout?.on("data", keep);
    process.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      process.on("exit", (code, signal) => resolve({ code, signal }));
      process.on("error", (e) => {
        keep(Buffer.from(String(e)));
        resolve({ code: -1, signal: null });
      });
    });
    void this.pump(this.shell, (m) => this.waiters.get(m.parent_header.msg_id ?? "")?.(m));
    void this.pump(this.control, (m) => this.waiters.get(m.parent_header.msg_id ?? "")?.(m));
    void this.pump(this.iopub, (m) => this.iopubHandlers.get(m.parent_header.msg_id ?? "")?.(m));
  }

  /** Start the kernel of `kernelDir` in `cwd` and wait until it answers kernel_info on shell and IOPub. */
  static async start(opts: StartKernelOptions): Promise<KernelClient> {
    const spec = readKernelSpec(opts.kernelDir);
    // zeromq comes with tslab (the kernel itself uses it); loaded only when a kernel is started
    const zmq = (await import("zeromq")) as typeof import("zeromq");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-kernel-"));
    const [shellPort, iopubPort, stdinPort, controlPort, hbPort] = (await freePorts(5)) as [number, number, number, number, number];
    const key = randomBytes(32).toString("hex");
    const connFile = path.join(tmp, "kernel.json");
    fs.writeFileSync(
      connFile,
      JSON.stringify({
        shell_port: shellPort,
        iopub_port: iopubPort,
        stdin_port: stdinPort,
        control_port: controlPort,
        hb_port: hbPort,
        ip: "127.0.0.1",
        key,
        transport: "tcp",
        signature_scheme: "hmac-sha256",
        kernel_name: path.basename(opts.kernelDir),
      }),
    );
    const argv = spec.argv.map((a) =>
      a.replace(/\{connection_file\}/g, connFile).replace(/\{resource_dir\}/g, path.resolve(opts.kernelDir)),
    );
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: opts.cwd,
      env: { ...withoutForcedColour(process.env), ...(spec.env ?? {}), ...(opts.env ?? {}) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32", // own process group: shutdown and timeouts kill what the kernel spawned too
    });
    const shell = new zmq.Dealer({ linger: 0 });
    const control = new zmq.Dealer({ linger: 0 });
    const iopub = new zmq.Subscriber({ linger: 0 });
    shell.connect(`tcp://127.0.0.1:${shellPort}`);
    control.connect(`tcp://127.0.0.1:${controlPort}`);
    iopub.connect(`tcp://127.0.0.1:${iopubPort}`);
    iopub.subscribe();
    const k = new KernelClient(key, child, shell, control, iopub, tmp);
    try {
      await k.waitReady(opts.startTimeoutSec ?? 60);
    } catch (e) {
      await k.shutdown();
      throw e;
    }
    return k;
  }

  /**
   * kernel_info until both the shell reply and an IOPub message of the same request arrive: only
   * then is the IOPub subscription live, so no output of the first cell can be lost (the
   * "slow joiner" of PUB/SUB).
   */
  private async waitReady(timeoutSec: number): Promise<void> {
    const deadline = Date.now() + timeoutSec * 1000;
    let dead = false;
    void this.exited.then(() => {
      dead = true;
    });
    // Every request of the handshake stays registered until the end: a loaded machine may answer
    // the first request only after several more were sent, and any answer proves the same thing.
    const ids: string[] = [];
    let shellOk = false;
    let iopubOk = false;
    try {
      while (Date.now() < deadline) {
        if (dead) throw new Error(`the kernel exited before it was ready${tail(this.log)}`);
        if (shellOk && iopubOk) return;
        // one more request per second until both answered: if shell answered but IOPub saw
        // nothing yet (slow joiner), the next request's status messages will reach it
        const id = randomUUID();
        ids.push(id);
        this.iopubHandlers.set(id, () => {
          iopubOk = true;
        });
        this.waiters.set(id, () => {
          shellOk = true;
        });
        await this.send(this.shell, "kernel_info_request", {}, id);
        for (let i = 0; i < 20 && !(shellOk && iopubOk) && !dead; i++) await sleep(50);
      }
      if (shellOk && iopubOk) return;
      throw new Error(
        `the kernel did not answer within ${timeoutSec} s (shell ${shellOk ? "answered" : "silent"}, IOPub ${iopubOk ? "answered" : "silent"})${tail(this.log)}`,
      );
    } finally {
      for (const id of ids) {
        this.waiters.delete(id);
        this.iopubHandlers.delete(id);
      }
    }
  }

  /** Execute `code`; IOPub messages of the request go to `onMessage`; resolves with the execute_reply content. */
  async execute(code: string, onMessage: (m: KernelMessage) => void): Promise<Record<string, unknown>> {
    const id = randomUUID();
    let replyContent: Record<string, unknown> | undefined;
    let idle = false;
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.iopubHandlers.set(id, (m) => {
      if (m.header.msg_type === "status") {
        if (m.content["execution_state"] === "idle") {
          idle = true;
          if (replyContent) finish();
        }
        return;
      }
      onMessage(m);
    });
    this.waiters.set(id, (m) => {
      if (m.header.msg_type !== "execute_reply") return;
      replyContent = m.content;
      if (idle) finish();
    });
    await this.send(
      this.shell,
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      id,
    );
    const exited = this.exited.then((x) => {
      throw new KernelDied(x.code, x.signal, this.log);
    });
    try {
      await Promise.race([done, exited]);
    } finally {
      exited.catch(() => {});
      this.iopubHandlers.delete(id);
      this.waiters.delete(id);
    }
    return replyContent ?? {};
  }

  /** shutdown_request on control (answered or not within 2 s), then kill the process group; removes the connection file. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const alive = this.process.exitCode === null && this.process.signalCode === null;
    if (alive) {
      const id = randomUUID();
      const replied = new Promise<void>((resolve) => this.waiters.set(id, () => resolve()));
      try {
        await this.send(this.control, "shutdown_request", { restart: false }, id);
      } catch {
        /* socket gone */
      }
      await Promise.race([replied, sleep(2000)]);
      await Promise.race([this.exited, sleep(500)]);
    }
    this.kill();
    for (const s of [this.shell, this.control, this.iopub]) {
      try {
        s.close();
      } catch {
        /* closed */
      }
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  /** SIGKILL to the kernel's process group (timeouts). */
  kill(): void {
    const pid = this.process.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      try {
        this.process.kill("SIGKILL");
      } catch {
        /* gone */
      }
    }
  }

  private async send(sock: import("zeromq").Dealer, msgType: string, content: unknown, msgId: string): Promise<void> {
    const header = JSON.stringify({
      msg_id: msgId,
      username: "vagg",
      session: this.session,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: "5.3",
    });
    const parts = [header, "{}", "{}", JSON.stringify(content)];
    const sig = createHmac("sha256", this.key);
    for (const p of parts) sig.update(p);
    await sock.send([DELIM, sig.digest("hex"), ...parts]);
  }

  private async pump(sock: AsyncIterable<Buffer[]>, handle: (m: KernelMessage) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        const m = this.decode(frames);
        if (m) handle(m);
      }
    } catch {
      // socket closed
    }
  }

  /** Decode and verify one multipart message; messages with a bad signature are dropped. */
  private decode(frames: Buffer[]): KernelMessage | null {
    const d = frames.findIndex((f) => f.equals(DELIM));
    if (d < 0 || frames.length < d + 6) return null;
    const parts = frames.slice(d + 2, d + 6);
    const sig = createHmac("sha256", this.key);
    for (const p of parts) sig.update(p);
    if (sig.digest("hex") !== frames[d + 1]?.toString()) return null;
    const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")) as Record<string, unknown>);
    return {
      header: header as KernelMessage["header"],
      parent_header: parent as KernelMessage["parent_header"],
      metadata: metadata ?? {},
      content: content ?? {},
    };
  }
}

/** The kernel process exited while a request was running. */
export class KernelDied extends Error {
  constructor(
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    log: string,
  ) {
    super(`the kernel process exited during this cell (${signal ? `signal ${signal}` : `exit code ${String(code)}`})${lastLine(log)}`);
    this.name = "KernelDied";
  }
}

/** The environment without FORCE_COLOR: a test runner's or CI's forced colours must not put ANSI codes into notebook outputs. */
function withoutForcedColour(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _drop, ...rest } = env;
  return rest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The kernel's last output lines on one line (start-up failures print several). */
function tail(log: string): string {
  const t = log
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-6)
    .join(" ⏎ ");
  return t ? `; kernel output: ${t.slice(-600)}` : "";
}

function lastLine(log: string): string {
  const l = log
    .trim()
    .split("\n")
    .filter((s) => s.trim() !== "");
  const last = l[l.length - 1];
  return last ? `: ${last.trim()}` : "";
}
