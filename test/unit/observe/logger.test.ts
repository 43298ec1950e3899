import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../../router/common/errors';
import { formatTimestamp } from '../../../router/observe/log-line';
import { LogSettings, Logging, parseEnable } from '../../../router/observe/logger';

const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} [+-]\d{4} /;

describe('observe/logger', () => {
  describe('parseEnable', () => {
    it('reads a comma list of levels', () => {
      expect([...parseEnable('trace,error') as Set<string>]).to.deep.equal(['trace', 'error']);
    });

    it('reads a trailing + as "this level and above"', () => {
      expect([...parseEnable('info+') as Set<string>]).to.deep.equal(['info', 'notice', 'warning', 'error', 'critical']);
      expect([...parseEnable('trace, warning+') as Set<string>]).to.deep.equal(['trace', 'warning', 'error', 'critical']);
      expect([...parseEnable('critical+') as Set<string>]).to.deep.equal(['critical']);
    });

    it('reads none as nothing, and it adds nothing to a list', () => {
      expect((parseEnable('none') as Set<string>).size).to.equal(0);
      expect([...parseEnable('none,debug') as Set<string>]).to.deep.equal(['debug']);
    });

    it('names the bad token', () => {
      const e = parseEnable('info,loud+');
      expect(e).to.be.instanceOf(Error);
      expect((e as Error).message).to.contain("'loud+'");
    });
  });

  describe('Logging', () => {
    let dir: string;
    let logging: Logging | undefined;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-logger-')); });
    afterEach(() => {
      logging?.close();
      logging = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const file = (name = 'router.log'): string => path.join(dir, name);
    const read = (name = 'router.log'): string => fs.readFileSync(file(name), 'utf8');
    const start = (settings: LogSettings[]): Logging => (logging = new Logging(settings));

    it('has qdrouterd defaults: info+, timestamps, no source, stderr', () => {
      const l = start([]);
      expect(l.module('ROUTER').enabled('info')).to.equal(true);
      expect(l.module('ROUTER').enabled('debug')).to.equal(false);
      expect(l.settings().find((s) => s.module === 'DEFAULT')).to.deep.equal({
        module: 'DEFAULT', enable: 'info+', includeTimestamp: true, includeSource: false, outputFile: 'stderr',
      });
      expect(l.settings().map((s) => s.module)).to.include.members(['ROUTER_CORE', 'SERVER', 'PROTOCOL', 'HTTP']);
    });

    it('lets a module without its own settings inherit DEFAULT, attribute by attribute', () => {
      const l = start([
        { module: 'DEFAULT', enable: 'debug+', includeTimestamp: false, outputFile: file() },
        { module: 'ROUTER', enable: 'error+' },
      ]);
      expect(l.module('SERVER').enabled('debug')).to.equal(true);
      expect(l.module('ROUTER').enabled('warning')).to.equal(false);
      l.module('ROUTER').error('from ROUTER');
      l.module('SERVER').debug('from SERVER');
      expect(read()).to.equal('ROUTER (error) from ROUTER\nSERVER (debug) from SERVER\n');
      expect(l.settings().find((s) => s.module === 'ROUTER')).to.deep.equal({
        module: 'ROUTER', enable: 'error+', includeTimestamp: false, includeSource: false, outputFile: file(),
      });
    });

    it('applies an update at once to loggers already handed out', () => {
      const l = start([{ module: 'DEFAULT', includeTimestamp: false, outputFile: file() }]);
      const router = l.module('ROUTER');
      const agent = l.module('AGENT');
      expect(router.enabled('trace')).to.equal(false);
      l.update({ module: 'ROUTER', enable: 'trace+' });
      expect(router.enabled('trace')).to.equal(true);
      expect(agent.enabled('trace')).to.equal(false);
      l.update({ module: 'DEFAULT', enable: 'none' });
      expect(agent.enabled('critical')).to.equal(false);
      expect(router.enabled('trace')).to.equal(true); // its own enable wins over DEFAULT
      router.trace('still here');
      expect(read()).to.equal('ROUTER (trace) still here\n');
    });

    it('moves a module to another file and reset() makes it inherit again', () => {
      const l = start([{ module: 'DEFAULT', includeTimestamp: false, outputFile: file('a.log') }]);
      const policy = l.module('POLICY');
      l.update({ module: 'POLICY', outputFile: file('b.log') });
      policy.info('to b');
      l.reset('POLICY');
      policy.info('to a');
      expect(read('a.log')).to.equal('POLICY (info) to a\n');
      expect(read('b.log')).to.equal('POLICY (info) to b\n');
    });

    it('reconfigure() (a reload): changed modules take exactly their settings, removed ones inherit again, all or nothing', () => {
      const l = start([
        { module: 'DEFAULT', includeTimestamp: false, outputFile: file() },
        { module: 'ROUTER', enable: 'trace+', includeSource: true },
        { module: 'SERVER', enable: 'error+' },
      ]);
      const router = l.module('ROUTER');
      const server = l.module('SERVER');
      const agent = l.module('AGENT');
      l.update({ module: 'AGENT', enable: 'debug+' }); // set through management: a reload of other modules leaves it
      l.reconfigure([{ module: 'ROUTER', enable: 'warning+' }], ['SERVER']);
      expect(router.enabled('notice')).to.equal(false);
      expect(router.enabled('warning')).to.equal(true);
      expect(l.settings().find((s) => s.module === 'ROUTER')!.includeSource).to.equal(false); // left out: inherited again
      expect(server.enabled('info')).to.equal(true);
      expect(agent.enabled('debug')).to.equal(true);
      expect(() => l.reconfigure([{ module: 'ROUTER', enable: 'none' }, { module: 'POLICY', outputFile: path.join(dir, 'missing', 'x.log') }])).to.throw(ConfigError, /ENOENT/);
      expect(router.enabled('warning')).to.equal(true);
    });

    it('rejects a bad update and keeps the settings it had', () => {
      const l = start([{ module: 'DEFAULT', outputFile: file() }]);
      expect(() => l.update({ module: 'NOPE', enable: 'info' })).to.throw(ConfigError, /NOPE/);
      expect(() => l.update({ module: 'ROUTER', enable: 'loud' })).to.throw(ConfigError, /loud/);
      expect(() => l.update({ module: 'ROUTER', outputFile: path.join(dir, 'missing', 'x.log') })).to.throw(ConfigError, /ENOENT/);
      expect(l.settings().find((s) => s.module === 'ROUTER')).to.include({ enable: 'info+', outputFile: file() });
    });

    it('appends to an existing file, shared by the modules that write there', () => {
      fs.writeFileSync(file(), 'earlier line\n');
      const l = start([{ module: 'DEFAULT', outputFile: file() }]);
      l.module('SERVER').info('first');
      l.module('ROUTER_CORE').warning('second');
      const lines = read().split('\n');
      expect(lines[0]).to.equal('earlier line');
      expect(lines[1]).to.match(STAMP).and.to.match(/ SERVER \(info\) first$/);
      expect(lines[2]).to.match(STAMP).and.to.match(/ ROUTER_CORE \(warning\) second$/);
    });

    it('writes qdrouterd line format with source when includeSource', () => {
      const l = start([{ module: 'DEFAULT', includeTimestamp: false, includeSource: true, outputFile: file() }]);
      l.module('CONN_MGR').notice('hello');
      expect(read()).to.match(/^CONN_MGR \(notice\) hello \(logger\.test\.(js|ts):\d+\)\n$/);
    });

    it('formats timestamps as local time with microseconds and offset', () => {
      const us = 1_700_000_000_123_456;
      const d = new Date(1_700_000_000_123);
      const s = formatTimestamp(us);
      expect(s).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456 [+-]\d{4}$/);
      expect(s.slice(0, 4)).to.equal(String(d.getFullYear()));
      expect(s.slice(11, 13)).to.equal(String(d.getHours()).padStart(2, '0'));
    });

    it('is silent after close()', () => {
      const l = start([{ module: 'DEFAULT', outputFile: file() }]);
      const router = l.module('ROUTER');
      l.close();
      router.critical('lost');
      expect(router.enabled('critical')).to.equal(false);
      expect(read()).to.equal('');
    });
  });
});
