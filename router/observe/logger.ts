// Logging modules and levels as qdrouterd's `log` entity: each module either has its own
// settings or inherits, attribute by attribute, those of DEFAULT. Loggers are handed out once
// per module and re-pointed in place on update, so a change made through management or a
// reload is seen at once by code that holds a logger.

import { ConfigError } from '../common/errors';
import { LEVEL_BITS, LOG_MODULES, LogLevel, enableMask, isLogModule } from './log-levels';
import { callerSource, formatLogLine, nowUs } from './log-line';
import { LogSink, openSink } from './log-sink';
import { LogRing } from './log-ring';

export { LogLevel, LOG_LEVELS, LOG_MODULES, parseEnable } from './log-levels';
export type { LogEntry } from './log-ring';

export interface LogSettings {
  module: string;
  enable?: string;
  includeTimestamp?: boolean;
  includeSource?: boolean;
  outputFile?: string;
}

export interface ModuleLogger {
  /** One AND on a bitmask: call it before building an expensive message. */
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, message: string): void;
  /** Writes whatever the module's level: a connection's enableProtocolTrace does (as qdrouterd's). */
  always(level: LogLevel, message: string): void;
  trace(m: string): void;
  debug(m: string): void;
  info(m: string): void;
  notice(m: string): void;
  warning(m: string): void;
  error(m: string): void;
  critical(m: string): void;
}

type Effective = Required<LogSettings>;

/** qdrouterd's defaults for DEFAULT, which every other module inherits. */
const BUILT_IN: Readonly<Effective> = {
  module: 'DEFAULT', enable: 'info+', includeTimestamp: true, includeSource: false, outputFile: 'stderr',
};

const INTERNAL_FILES = [__filename];

class Logger implements ModuleLogger {
  // Set by Logging.apply(); public so that the owner can re-point them without a setter call.
  mask = 0;
  includeTimestamp = true;
  includeSource = false;
  sink: LogSink | undefined;
  /** Lines written, by level (management's logStats). */
  readonly counts: Record<LogLevel, number> = { trace: 0, debug: 0, info: 0, notice: 0, warning: 0, error: 0, critical: 0 };

  constructor(readonly name: string, private readonly ring: LogRing) {}

  enabled(level: LogLevel): boolean {
    return (this.mask & LEVEL_BITS[level]) !== 0;
  }

  log(level: LogLevel, message: string): void {
    if ((this.mask & LEVEL_BITS[level]) === 0 || this.sink === undefined) return;
    const source = this.includeSource ? callerSource(INTERNAL_FILES) : undefined;
    const us = nowUs();
    this.sink.write(formatLogLine(this.name, level, message, this.includeTimestamp ? us : undefined, source), level);
    this.counts[level]++;
    const at = source === undefined ? -1 : source.lastIndexOf(':');
    this.ring.push({
      module: this.name, level, text: message, timestamp: Math.floor(us / 1_000_000),
      file: at < 0 ? undefined : source!.slice(0, at), line: at < 0 ? undefined : Number(source!.slice(at + 1)),
    });
  }

  trace(m: string): void { this.log('trace', m); }
  debug(m: string): void { this.log('debug', m); }
  info(m: string): void { this.log('info', m); }
  notice(m: string): void { this.log('notice', m); }
  warning(m: string): void { this.log('warning', m); }
  error(m: string): void { this.log('error', m); }
  critical(m: string): void { this.log('critical', m); }

  always(level: LogLevel, message: string): void {
    const source = this.includeSource ? callerSource(INTERNAL_FILES) : undefined;
    this.sink?.write(formatLogLine(this.name, level, message, this.includeTimestamp ? nowUs() : undefined, source), level);
  }
}

export class Logging {
  /** The attributes each module was given (config or management); absent ones inherit. */
  private own = new Map<string, LogSettings>();
  private readonly loggers = new Map<string, Logger>();
  /** One sink per output, shared by the modules that write there (a file is opened once). */
  private readonly sinks = new Map<string, LogSink>();
  private closed = false;
  /** The last lines written, every module (management GET-LOG). */
  readonly recent = new LogRing(1000);

  constructor(settings: LogSettings[] = []) {
    const own = new Map<string, LogSettings>();
    for (const s of settings.map(checked)) own.set(s.module, merge(own.get(s.module), s));
    this.commit(own);
  }

  /** The logger of `module` (case-insensitive); names outside LOG_MODULES are allowed and inherit DEFAULT. */
  module(module: string): ModuleLogger {
    const name = normalName(module);
    let logger = this.loggers.get(name);
    if (!logger) {
      logger = new Logger(name, this.recent);
      this.loggers.set(name, logger);
      this.point(logger);
    }
    return logger;
  }

  /** Changes the given attributes of one module; the others keep their value or inheritance. */
  update(settings: LogSettings): void {
    const s = checked(settings);
    const own = new Map(this.own);
    own.set(s.module, merge(own.get(s.module), s));
    this.commit(own);
  }

  /** Forgets a module's own settings so that it inherits DEFAULT again (a reload removed its entity). */
  reset(module: string): void {
    const own = new Map(this.own);
    own.delete(normalName(module));
    this.commit(own);
  }

  /**
   * A reload's log entities, all at once: each of `changed` takes exactly its settings (an
   * attribute left out inherits DEFAULT again, unlike update()), each of `removed` goes back to
   * inheriting. Throws and changes nothing if a setting is invalid or an output cannot be opened.
   */
  reconfigure(changed: LogSettings[], removed: string[] = []): void {
    const own = new Map(this.own);
    for (const m of removed) own.delete(normalName(m));
    for (const s of changed.map(checked)) own.set(s.module, merge(undefined, s));
    this.commit(own);
  }

  /** Lines written per level by each module that has a logger (management's logStats). */
  counts(): Array<{ module: string; counts: Readonly<Record<LogLevel, number>> }> {
    return [...this.loggers.values()].map((l) => ({ module: l.name, counts: l.counts }));
  }

  /** The settings a module was given itself (absent attributes inherit DEFAULT). */
  ownSettings(module: string): LogSettings | undefined { return this.own.get(normalName(module)); }

  /** The effective settings of every module, inheritance resolved (management READ/QUERY). */
  settings(): LogSettings[] {
    return LOG_MODULES.map((m) => this.effective(m));
  }

  close(): void {
    this.closed = true;
    for (const logger of this.loggers.values()) {
      logger.mask = 0;
      logger.sink = undefined;
    }
    for (const sink of this.sinks.values()) sink.close();
    this.sinks.clear();
  }

  /**
   * Installs `own` if every output it names can be opened; otherwise throws and changes
   * nothing. Outputs no module uses any more are closed.
   */
  private commit(own: Map<string, LogSettings>): void {
    if (this.closed) return;
    const previous = this.own;
    this.own = own;
    const names = new Set([...LOG_MODULES, ...this.loggers.keys()]);
    const outputs = new Set([...names].map((m) => this.effective(m).outputFile));
    const opened: string[] = [];
    try {
      for (const out of outputs) {
        if (this.sinks.has(out)) continue;
        this.sinks.set(out, openSink(out));
        opened.push(out);
      }
    } catch (e) {
      for (const out of opened) { this.sinks.get(out)!.close(); this.sinks.delete(out); }
      this.own = previous;
      throw e;
    }
    for (const logger of this.loggers.values()) this.point(logger);
    for (const [out, sink] of this.sinks) {
      if (!outputs.has(out)) { sink.close(); this.sinks.delete(out); }
    }
  }

  private point(logger: Logger): void {
    if (this.closed) return; // a closed Logging leaves new loggers silent (mask 0)
    const e = this.effective(logger.name);
    logger.mask = enableMask(e.enable) as number; // checked when it was set
    logger.includeTimestamp = e.includeTimestamp;
    logger.includeSource = e.includeSource;
    // Open since the last commit: a module outside LOG_MODULES can only inherit DEFAULT's output.
    logger.sink = this.sinks.get(e.outputFile);
  }

  private effective(module: string): Effective {
    const mine = this.own.get(module);
    const def = this.own.get('DEFAULT');
    const pick = <K extends keyof LogSettings>(k: K): Effective[K] => (mine?.[k] ?? def?.[k] ?? BUILT_IN[k]) as Effective[K];
    return {
      module,
      enable: pick('enable'),
      includeTimestamp: pick('includeTimestamp'),
      includeSource: pick('includeSource'),
      outputFile: pick('outputFile'),
    };
  }
}

function normalName(module: string): string {
  return module.trim().toUpperCase();
}

/** Validates a settings record and returns it with the module name normalised. */
function checked(s: LogSettings): LogSettings {
  const module = normalName(s.module);
  if (!isLogModule(module)) throw new ConfigError(`log module '${s.module}' is not one of ${LOG_MODULES.join(', ')}`);
  if (s.enable !== undefined) {
    const mask = enableMask(s.enable);
    if (mask instanceof Error) throw new ConfigError(`log ${module}: enable: ${mask.message}`);
  }
  if (s.outputFile !== undefined && s.outputFile.trim() === '') throw new ConfigError(`log ${module}: outputFile is empty`);
  return { ...s, module };
}

function merge(base: LogSettings | undefined, change: LogSettings): LogSettings {
  const out: LogSettings = { ...base, module: change.module };
  if (change.enable !== undefined) out.enable = change.enable.trim();
  if (change.includeTimestamp !== undefined) out.includeTimestamp = change.includeTimestamp;
  if (change.includeSource !== undefined) out.includeSource = change.includeSource;
  if (change.outputFile !== undefined) out.outputFile = change.outputFile;
  return out;
}
