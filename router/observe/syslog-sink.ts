// outputFile `syslog` without a dependency: Node has no Unix datagram sockets, so this reaches
// a syslog daemon that listens on a stream socket at /dev/log (syslog-ng, rsyslog with
// imuxsock stream). When none answers, lines go to stderr after a one-line note.

import * as net from 'node:net';
import { LogLevel } from './log-levels';

const SYSLOG_PATH = '/dev/log';
const FACILITY_DAEMON = 3;
const SEVERITY: Record<LogLevel, number> = {
  trace: 7, debug: 7, info: 6, notice: 5, warning: 4, error: 3, critical: 2,
};

type State = 'connecting' | 'connected' | 'stderr' | 'closed';

export class SyslogSink {
  private state: State = 'connecting';
  /** Lines logged before we know where they can go. */
  private pending: [string, LogLevel][] = [];
  private readonly socket: net.Socket;

  constructor(private readonly path = SYSLOG_PATH) {
    this.socket = net.createConnection({ path });
    this.socket.unref();
    this.socket.on('connect', () => {
      if (this.state !== 'connecting') return;
      this.state = 'connected';
      this.flush();
    });
    this.socket.on('error', (e: NodeJS.ErrnoException) => this.fallBack(e.code ?? e.message));
    this.socket.on('close', () => this.fallBack('closed'));
  }

  write(line: string, level: LogLevel): void {
    if (this.state === 'connected') this.socket.write(this.frame(line, level));
    else if (this.state === 'stderr') process.stderr.write(line);
    else if (this.state === 'connecting') this.pending.push([line, level]);
  }

  close(): void {
    if (this.state === 'connecting') this.fallBack('closed before connecting');
    this.state = 'closed';
    this.socket.end();
  }

  private fallBack(reason: string): void {
    if (this.state === 'stderr' || this.state === 'closed') return;
    this.state = 'stderr';
    process.stderr.write(`weft: no syslog reachable at ${this.path} (${reason}); logging to stderr\n`);
    this.flush();
  }

  private flush(): void {
    const lines = this.pending;
    this.pending = [];
    for (const [line, level] of lines) this.write(line, level);
  }

  /** RFC 3164 style: `<PRI>tag[pid]: text`; the daemon adds its own timestamp and host. */
  private frame(line: string, level: LogLevel): string {
    return `<${FACILITY_DAEMON * 8 + SEVERITY[level]}>weft[${process.pid}]: ${line}`;
  }
}
