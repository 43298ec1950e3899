import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SyslogSink } from '../../../router/observe/syslog-sink';

/** Resolves once `condition()` holds, checking on every turn of the event loop. */
function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setImmediate(check);
    };
    check();
  });
}

describe('observe/syslog-sink', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-syslog-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends RFC 3164 lines to a stream socket', async () => {
    const socketPath = path.join(dir, 'log');
    let got = '';
    const server = net.createServer((s) => s.on('data', (b) => { got += b.toString(); }));
    await new Promise<void>((r) => server.listen(socketPath, r));
    const sink = new SyslogSink(socketPath);
    sink.write('ROUTER (warning) disk is slow\n', 'warning');
    await until(() => got.includes('\n'), 'a syslog line');
    expect(got).to.equal(`<28>weft[${process.pid}]: ROUTER (warning) disk is slow\n`);
    sink.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('falls back to stderr, with a note, when no syslog answers', async () => {
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => { written.push(chunk); return true; }) as typeof process.stderr.write;
    try {
      const sink = new SyslogSink(path.join(dir, 'none'));
      sink.write('AGENT (info) hello\n', 'info');
      await until(() => written.includes('AGENT (info) hello\n'), 'the line on stderr');
      expect(written[0]).to.match(/no syslog reachable .*ENOENT/);
      sink.close();
    } finally {
      process.stderr.write = original;
    }
  });
});
