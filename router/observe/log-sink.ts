// Where log lines go (`outputFile`): stderr, stdout, syslog, or a file opened once for append.

import * as fs from 'node:fs';
import { ConfigError } from '../common/errors';
import { LogLevel } from './log-levels';
import { SyslogSink } from './syslog-sink';

export interface LogSink {
  /** `line` ends with a newline. */
  write(line: string, level: LogLevel): void;
  close(): void;
}

export function openSink(outputFile: string): LogSink {
  switch (outputFile) {
    case 'stderr': return new StreamSink(process.stderr);
    case 'stdout': return new StreamSink(process.stdout);
    case 'syslog': return new SyslogSink();
    default: return new FileSink(outputFile);
  }
}

/** The process's own streams: never closed by us. */
class StreamSink implements LogSink {
  constructor(private readonly stream: NodeJS.WriteStream) {}
  write(line: string): void { this.stream.write(line); }
  close(): void { /* owned by the process */ }
}

/**
 * A file in append mode. Each line is written synchronously, as qdrouterd flushes each line:
 * nothing is lost when the process dies, and lines from all modules stay in order.
 */
class FileSink implements LogSink {
  private fd: number | undefined;

  constructor(private readonly path: string) {
    try {
      this.fd = fs.openSync(path, 'a');
    } catch (e) {
      throw new ConfigError(`log outputFile '${path}' cannot be opened: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }

  write(line: string): void {
    if (this.fd === undefined) return;
    try {
      fs.writeSync(this.fd, line);
    } catch (e) {
      // A full disk must not take the router down: say so once, then stop writing there.
      process.stderr.write(`weft: cannot write log file '${this.path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}; its log lines are dropped\n`);
      this.close();
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
